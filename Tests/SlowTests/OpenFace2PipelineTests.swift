import FaceModels
import FaceMirror
import FileDigest
import Foundation
import ModelStore
import TestSupport
import XCTest

/// OpenFace 2's AUs through `facemirror process`: the models recorded with `model import-openface2` (the
/// shared trained copy) or fetched from a local server, both hemifaces of real clips.
final class OpenFace2PipelineTests: XCTestCase {
    private typealias Table = [[String: Double]]

    private func table(_ path: String) throws -> Table { try Fixtures.csvRows(path) }

    /// A model store holding the shared OpenFace 2 models, recorded through the command line.
    private func store(in dir: URL) throws -> [String: String] {
        let models = try Fixtures.requireShared(file: "models/openface2/models", "no OpenFace 2 models")
        let env = ["FACEMIRROR_MODELS": dir.appendingPathComponent("store").path]
        let r = try Fixtures.run(Fixtures.cli(), ["model", "import-openface2", models], environment: env)
        XCTAssertTrue(r.stdout.contains("imported 20 OpenFace 2 files"), r.stdout)
        return env
    }

    private func process(_ video: String, out: String, env: [String: String], _ extra: [String] = []) throws {
        try Fixtures.run(Fixtures.cli(), ["process", video, "-o", out, "--no-debug-video", "--no-report", "-q"] + extra, environment: env)
    }

    /// Ten identical frames of the photo: both hemifaces get 17 finite AUs in [0, 5], the same on every
    /// frame (dynamic ones 0: the video is its own neutral face), identical with one thread and two.
    func testStillPhotoBothHemifacesSameWithOneAndTwoThreads() throws {
        let dir = try Fixtures.scratch(self)
        let env = try store(in: dir)
        let clip = dir.appendingPathComponent("still.mkv").path
        try Fixtures.ffmpeg(["-loop", "1", "-i", Fixtures.photo, "-frames:v", "10", "-r", "30", "-c:v", "ffv1", "-pix_fmt", "bgr0", clip])
        var texts: [String] = []
        for threads in ["1", "2"] {
            let out = dir.appendingPathComponent("out\(threads)").path
            try process(clip, out: out, env: env, ["--threads", threads])
            var csvs = ""
            for side in ["right", "left"] {
                let path = "\(out)/still_\(side)_mirrored.csv"
                csvs += try String(contentsOfFile: path, encoding: .utf8)
                let t = try table(path)
                XCTAssertEqual(t.count, 10)
                for row in t {
                    XCTAssertEqual(row["success"], 1)
                    XCTAssertTrue(row["AU16_r"]!.isNaN, "OpenFace 2 has no AU16")
                    for au in OpenFace2Models.actionUnits {
                        let v = row["\(au)_r"]!
                        XCTAssertTrue(v.isFinite && v >= 0 && v <= 5, "\(side) \(au) \(v)")
                        XCTAssertEqual(v, t[0]["\(au)_r"]!, "\(side) \(au): every frame the same")
                        XCTAssertEqual(row["\(au)_c"], v >= 1 ? 1 : 0)
                    }
                    for au in ["AU01", "AU02", "AU05", "AU09", "AU15", "AU17", "AU20", "AU23", "AU25", "AU26", "AU45"] {
                        XCTAssertEqual(row["\(au)_r"], 0, "\(side) \(au): a dynamic AU of a face that never moves")
                    }
                }
                print("still, \(side) hemiface: " + OpenFace2Models.actionUnits.map { "\($0) \(t[0]["\($0)_r"]!)" }.joined(separator: ", "))
            }
            // The asymmetry table carries OpenFace 2's AUs: left − right of the two CSVs.
            let asym = try table("\(out)/still_asymmetry.csv")
            let right = try table("\(out)/still_right_mirrored.csv"), left = try table("\(out)/still_left_mirrored.csv")
            for n in 0..<10 {
                XCTAssertEqual(asym[n]["AU12_diff"]!, left[n]["AU12_r"]! - right[n]["AU12_r"]!, accuracy: 2e-4)
                XCTAssertEqual(asym[n]["AU07_diff"]!, left[n]["AU07_r"]! - right[n]["AU07_r"]!, accuracy: 2e-4)
            }
            texts.append(csvs)
        }
        XCTAssertEqual(texts[0], texts[1], "--threads 1 and 2 give the same numbers")
    }

    /// The patient's left mouth corner lifted by up to 10 px (scripts/fixtures/make_asymmetry_clip.py): AU12 (lip
    /// corner puller) rises on the left hemiface while the lift is on, not on the right; both ways of
    /// placing the hemifaces' landmarks, the numbers docs/method.md quotes.
    func testALiftedMouthCornerRaisesAU12OnItsSide() throws {
        let dir = try Fixtures.scratch(self)
        let env = try store(in: dir)
        let video = dir.appendingPathComponent("lift.mp4").path
        try Fixtures.run("/usr/bin/python3", [Fixtures.repoRoot.appendingPathComponent("scripts/fixtures/make_asymmetry_clip.py").path,
                                              Fixtures.photo, video, "10", "0", "31"])
        let lift = try table(dir.appendingPathComponent("lift_frames.csv").path).map { $0["lift_px"]! }
        let rest = lift.indices.filter { lift[$0] < 1 }, peak = lift.indices.filter { lift[$0] >= 9 }
        var au12: [String: (left: [Double], right: [Double])] = [:]
        for source in HemifaceLandmarkSource.allCases {
            let out = dir.appendingPathComponent("out-\(source.rawValue)").path
            try process(video, out: out, env: env, ["--hemiface-landmarks", source.rawValue])
            let left = try table("\(out)/lift_left_mirrored.csv"), right = try table("\(out)/lift_right_mirrored.csv")
            XCTAssertEqual(left.count, 31)
            au12[source.rawValue] = (left.map { $0["AU12_r"]! }, right.map { $0["AU12_r"]! })
            func change(_ t: Table) -> Double {
                let v = t.map { $0["AU12_r"]! }
                return Fixtures.median(peak.map { v[$0] }) - Fixtures.median(rest.map { v[$0] })
            }
            let l = change(left), r = change(right)
            print("lift 10 px, hemiface landmarks \(source.rawValue): AU12 change peak − rest: left hemiface \(l), right hemiface \(r)")
            XCTAssertGreaterThan(l, 0.3, "\(source): AU12 rises on the lifted side")
            XCTAssertLessThan(abs(r), 0.5 * l, "\(source): and much less on the other")
        }
        let reflected = au12["reflected"]!, refitted = au12["refitted"]!
        let dl = zip(reflected.left, refitted.left).map { abs($0 - $1) }, dr = zip(reflected.right, refitted.right).map { abs($0 - $1) }
        print("lift clip AU12, reflected vs refitted landmarks: mean |Δ| left \(dl.reduce(0, +) / Double(dl.count)), right \(dr.reduce(0, +) / Double(dr.count)); max \(max(dl.max()!, dr.max()!))")
    }

    /// The two ways of placing a hemiface's landmarks, on the sample: how far apart their AUs are.
    func testReflectedAndRefittedLandmarksOnTheSample() throws {
        let dir = try Fixtures.scratch(self)
        let env = try store(in: dir)
        let sample = try Fixtures.sample()
        var tables: [String: (Table, Table)] = [:]
        for source in HemifaceLandmarkSource.allCases {
            let out = dir.appendingPathComponent(source.rawValue).path
            try process(sample, out: out, env: env, ["--hemiface-landmarks", source.rawValue])
            let stem = OutputNames.stem(of: sample)
            tables[source.rawValue] = (try table("\(out)/\(stem)_left_mirrored.csv"), try table("\(out)/\(stem)_right_mirrored.csv"))
        }
        var worst = 0.0, sum = 0.0, count = 0
        for (a, b) in [(tables["reflected"]!.0, tables["refitted"]!.0), (tables["reflected"]!.1, tables["refitted"]!.1)] {
            for (ra, rb) in zip(a, b) {
                for au in OpenFace2Models.actionUnits {
                    let d = abs(ra["\(au)_r"]! - rb["\(au)_r"]!)
                    XCTAssertTrue(d.isFinite, au)
                    worst = max(worst, d); sum += d; count += 1
                }
            }
        }
        print("sample: OpenFace 2 AUs, reflected vs refitted hemiface landmarks: mean |Δ| \(sum / Double(count)), max \(worst)")
        XCTAssertEqual(count, Fixtures.sampleFrames * 2 * 17)
    }

    /// The ONNX stack's 98 points (PFLD, trained) give OpenFace 2 its 68; MTL runs in the same pass into its
    /// own files; the provenance names every OpenFace 2 file with its SHA-256.
    func testOn98PointLandmarksBesideTheMTLNetwork() throws {
        let shared = try Fixtures.requireShared("no ONNX models")
        let models = try Fixtures.requireShared(file: "models/openface2/models", "no OpenFace 2 models")
        let dir = try Fixtures.scratch(self)
        let clip = try Fixtures.sampleClip(frames: 6, in: dir, fast: true)
        let out = dir.appendingPathComponent("out").path
        let m = shared.appendingPathComponent("models").path
        try Fixtures.run(Fixtures.cli(), ["process", clip, "-o", out, "--no-debug-video", "--no-report", "-q",
                                          "--detector", "\(m)/trained/retinaface_mnet025_widerface_op17.onnx",
                                          "--landmarks", "\(m)/trained/pfld_ghostone_wflw98.onnx",
                                          "--au-model", "\(m)/replica/mtl_effnetb0_replica.onnx", "--au", "mtl", "--au", "openface2", "--openface2", models],
                         environment: ["FACEMIRROR_MODELS": dir.appendingPathComponent("store").path])
        for side in ["right", "left"] {
            let of2 = try table("\(out)/clip_\(side)_mirrored.csv"), mtl = try table("\(out)/clip_\(side)_mirrored_mtl.csv")
            XCTAssertEqual(of2.count, 6)
            XCTAssertEqual(mtl.count, 6)
            for row in of2 where row["success"] == 1 {
                for au in OpenFace2Models.actionUnits { XCTAssertTrue((0...5).contains(row["\(au)_r"]!), "\(side) \(au)") }
            }
            XCTAssertGreaterThan(of2.filter { $0["success"] == 1 }.count, 3)
            XCTAssertTrue(mtl.contains { $0["AU12_r"]!.isFinite } && mtl.allSatisfy { $0["AU05_r"]!.isNaN }, "MTL's 8 AUs, not OpenFace 2's")
        }
        let provenance = try String(contentsOfFile: "\(out)/clip_provenance.json", encoding: .utf8)
        XCTAssertTrue(provenance.contains("OpenFace 2 AUs"), "provenance names the AU models")
        XCTAssertTrue(provenance.contains(try FileDigest.sha256(ofFile: "\(models)/AU_predictors/svr_combined/AU_12_static_intensity_comb.dat")))
    }

    /// A study redoes a video when OpenFace 2's AUs, their landmark source or any of their files change.
    func testTheStudyFingerprintCoversOpenFace2() throws {
        let models = try Fixtures.requireShared(file: "models/openface2/models", "no OpenFace 2 models")
        let dir = try Fixtures.scratch(self)
        let options = ProcessOptions(outputDirectory: dir)
        func fingerprint(_ folder: String?, _ source: HemifaceLandmarkSource = .reflected) throws -> String {
            var stack = ModelStack()
            stack.openFace2Directory = folder
            stack.hemifaceLandmarks = source
            return try OutputFingerprint(processor: try stack.load(logger: Fixtures.logger), options: options).digest
        }
        let plain = try fingerprint(nil), reflected = try fingerprint(models), refitted = try fingerprint(models, .refitted)
        XCTAssertEqual(Set([plain, reflected, refitted]).count, 3)
        XCTAssertEqual(try fingerprint(models), reflected, "the same settings, the same fingerprint")
        // One regressor's bias changed in a copy of the folder: another fingerprint.
        let copy = dir.appendingPathComponent("copy").path
        try FileManager.default.copyItem(atPath: models, toPath: copy)
        let file = "\(copy)/AU_predictors/svr_combined/AU_12_static_intensity_comb.dat"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        bytes[bytes.count - 1] ^= 1
        try bytes.write(to: URL(fileURLWithPath: file))
        XCTAssertNotEqual(try fingerprint(copy), reflected)
    }

    /// `model fetch openface2-au`: nothing without accepting the licence; with it, every file from the
    /// (local) server checked against its SHA-256, and `process` uses them; a wrong hash is refused.
    func testFetchNeedsTheLicenceAndChecksEveryFile() throws {
        let models = try Fixtures.requireShared(file: "models/openface2/models", "no OpenFace 2 models to serve")
        let dir = try Fixtures.scratch(self)
        let served = dir.appendingPathComponent("served")
        try FileManager.default.createDirectory(at: served, withIntermediateDirectories: true)
        let (base, _) = try Fixtures.rangeServer(serving: served, for: self)
        // The shared copy in OpenFace 2.2's repository layout, with its own hashes.
        var files: [[String: Any]] = []
        let layout = ["model/pdms/In-the-wild_aligned_PDM_68.txt": "lib/local/LandmarkDetector/model/pdms/In-the-wild_aligned_PDM_68.txt",
                      "model/tris_68_full.txt": "lib/local/FaceAnalyser/AU_predictors/tris_68_full.txt"]
            .merging(OpenFace2Models.defaultRegressors.values.map { ("AU_predictors/svr_combined/\($0)", "lib/local/FaceAnalyser/AU_predictors/svr_combined/\($0)") }) { a, _ in a }
        for (local, path) in layout.sorted(by: { $0.key < $1.key }) {
            let source = "\(models)/\(local)"
            let name = (path as NSString).lastPathComponent
            try FileManager.default.copyItem(atPath: source, toPath: served.appendingPathComponent(name).path)
            files.append(["path": path, "url": "\(base)/\(name)", "sha256": try FileDigest.sha256(ofFile: source),
                          "size": try FileManager.default.attributesOfItem(atPath: source)[.size] as! Int])
        }
        XCTAssertEqual(files.count, 19)
        let catalog = dir.appendingPathComponent("of2.json")
        try JSONSerialization.data(withJSONObject: ["files": files]).write(to: catalog)
        let storeDir = dir.appendingPathComponent("store")
        let env = ["FACEMIRROR_MODELS": storeDir.path, "FACEMIRROR_OPENFACE2_CATALOG": catalog.path]

        let refused = try Fixtures.run(Fixtures.cli(), ["model", "fetch", "openface2-au"], allowFailure: true, environment: env)
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stdout.contains(OpenFace2Catalog.licenceURL), refused.stdout)
        XCTAssertTrue(refused.stdout.contains("Nothing was downloaded"), refused.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: storeDir.appendingPathComponent("openface2-au").path))

        let fetched = try Fixtures.run(Fixtures.cli(), ["model", "fetch", "openface2-au", "--accept-licence"], environment: env)
        XCTAssertTrue(fetched.stdout.contains("fetched openface2-au: 19 files"), fetched.stdout)
        let loaded = try OpenFace2Models(directory: storeDir.appendingPathComponent("openface2-au").path)
        XCTAssertEqual(loaded.regressors.map(\.au), OpenFace2Models.actionUnits)
        let entries = try ModelStore(directory: storeDir).entries()
        XCTAssertEqual(entries.filter { $0.name.hasPrefix("openface2-au/") }.count, 19)
        XCTAssertTrue(entries.allSatisfy { $0.licence == OpenFace2Catalog.licence })

        // Installed: OpenFace 2's AUs are the default.
        let clip = try Fixtures.sampleClip(frames: 6, in: dir, fast: true)
        let out = dir.appendingPathComponent("out").path
        try process(clip, out: out, env: env)
        XCTAssertEqual(try table("\(out)/clip_left_mirrored.csv").count, 6)

        // A file that does not hash as listed is refused (the environment variable accepts the licence).
        var bad = files
        bad[0]["sha256"] = String(repeating: "0", count: 64)
        try JSONSerialization.data(withJSONObject: ["files": bad]).write(to: catalog)
        try FileManager.default.removeItem(at: storeDir)
        let mismatch = try Fixtures.run(Fixtures.cli(), ["model", "fetch", "openface2-au"], allowFailure: true,
                                        environment: env.merging([OpenFace2Catalog.acceptanceVariable: "1"]) { $1 })
        XCTAssertEqual(mismatch.status, 1)
        XCTAssertTrue(mismatch.stderr.contains("SHA-256"), mismatch.stderr)
    }

    /// Without OpenFace 2's models: no AU files and a hint; asking for them is an error naming the fix.
    func testWithoutTheModelsAUsAreSkippedWithAHint() throws {
        let dir = try Fixtures.scratch(self)
        let env = ["FACEMIRROR_MODELS": dir.appendingPathComponent("empty-store").path]
        let clip = try Fixtures.sampleClip(frames: 3, in: dir, fast: true)
        let out = dir.appendingPathComponent("out").path
        let r = try Fixtures.run(Fixtures.cli(), ["process", clip, "-o", out, "--no-debug-video", "--no-report"], environment: env)
        XCTAssertTrue(r.stderr.contains("model fetch openface2-au --accept-licence"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(out)/clip_left_mirrored.csv"))
        let asked = try Fixtures.run(Fixtures.cli(), ["process", clip, "-o", out, "--au", "openface2"], allowFailure: true, environment: env)
        XCTAssertNotEqual(asked.status, 0)
        XCTAssertTrue(asked.stderr.contains("not installed"), asked.stderr)
        let both = try Fixtures.run(Fixtures.cli(), ["process", clip, "-o", out, "--au", "none", "--au", "openface2"], allowFailure: true, environment: env)
        XCTAssertNotEqual(both.status, 0)
        XCTAssertTrue(both.stderr.contains("--au none"), both.stderr)
    }

    /// Offline: `model fetch` says the download failed and how to import a copy, and leaves no folder;
    /// after `import-openface2` the set is listed as installed (not as available to fetch) and the next
    /// run on a study done without AUs says that they are measured for the first time.
    func testOfflineFetchPointsToImportAndTheFirstAUsAreAnnounced() throws {
        let dir = try Fixtures.scratch(self)
        let storeDir = dir.appendingPathComponent("store")
        let catalog = dir.appendingPathComponent("offline.json")
        // Port 9 (discard) on the loopback address: nothing listens, the connection is refused.
        let files: [[String: Any]] = [["path": "lib/local/FaceAnalyser/AU_predictors/tris_68_full.txt",
                                       "url": "https://127.0.0.1:9/tris_68_full.txt", "sha256": String(repeating: "0", count: 64), "size": 1076]]
        try JSONSerialization.data(withJSONObject: ["files": files]).write(to: catalog)
        let env = ["FACEMIRROR_MODELS": storeDir.path, "FACEMIRROR_OPENFACE2_CATALOG": catalog.path]

        let clip = try Fixtures.sampleClip(frames: 3, in: dir, fast: true)
        let out = dir.appendingPathComponent("out").path
        try process(clip, out: out, env: env)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(out)/clip_left_mirrored.csv"), "no AUs without the models")

        let offline = try Fixtures.run(Fixtures.cli(), ["model", "fetch", "openface2-au", "--accept-licence"], allowFailure: true, environment: env)
        XCTAssertEqual(offline.status, 1)
        XCTAssertTrue(offline.stderr.contains("the download failed, the server could not be reached"), offline.stderr)
        XCTAssertTrue(offline.stderr.contains("facemirror model import-openface2 DIR"), offline.stderr)
        XCTAssertFalse(offline.stderr.contains("resume"), offline.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: storeDir.path), "no empty model folder left")

        let before = try Fixtures.run(Fixtures.cli(), ["model", "list"], environment: env)
        XCTAssertTrue(before.stdout.contains("available to fetch:\n") && before.stdout.contains("  openface2-au  (OpenFace's"), before.stdout)

        _ = try store(in: dir)
        let after = try Fixtures.run(Fixtures.cli(), ["model", "list"], environment: env)
        XCTAssertTrue(after.stdout.contains("  openface2-au  20 files in \(storeDir.path)/openface2-au  (--au openface2)"), after.stdout)
        XCTAssertFalse(after.stdout.contains("openface2-au  (OpenFace's"), after.stdout)

        let again = try Fixtures.run(Fixtures.cli(), ["process", clip, "-o", out, "--no-debug-video", "--no-report"], environment: env)
        XCTAssertTrue((again.stdout + again.stderr).contains("clip.mp4: again, action units are measured for the first time in this study (OpenFace 2's)"),
                      again.stdout + again.stderr)
        XCTAssertEqual(try table("\(out)/clip_left_mirrored.csv").count, 3)
    }
}
