import FaceMirror
import FaceMirrorCore
import FaceModels
import FileDigest
import Foundation
import TestSupport
import VisionBinding
import XCTest

/// The exam on synthetic exams made from Debian's face photo by scripts/fixtures/make_exam_clip.py
/// (smooth local warps with a known timeline): an asymmetric smile (the patient's left corner lifted
/// 10 px, the right 2 px) and a symmetric one, both brows raised, and a still face. The movements are
/// found within ±0.25 s of the truth and labelled; the asymmetric smile's weaker side is the patient's
/// right and its mouth symmetry at least 25 points below the symmetric smile's; a coding file and an
/// upstream coded CSV give the same numbers; a bad coding keeps the other outputs.
final class ExamClipTests: XCTestCase {
    private func clip(_ kind: String, in dir: URL) throws -> (video: String, truth: [ActionSegment], times: [Double]) {
        let video = dir.appendingPathComponent("\(kind).mp4").path
        try Fixtures.run("/usr/bin/python3", [Fixtures.repoRoot.appendingPathComponent("scripts/fixtures/make_exam_clip.py").path,
                                              Fixtures.photo, video, kind])
        let truth = try ActionCoding(path: dir.appendingPathComponent("\(kind)_truth.csv").path)
        let times = try Fixtures.csvRows(dir.appendingPathComponent("\(kind)_frames.csv").path).map { $0["time"]! }
        return (video, truth.timed(frameTimes: times, duration: .infinity).segments, times)
    }

    private func exam(_ path: String) throws -> ExamResult {
        try JSONOutput.decoder().decode(ExamResult.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    private func process(_ video: String, _ out: URL, _ extra: [String] = []) throws -> ExamResult {
        try Fixtures.run(Fixtures.cli(), ["process", video, "-o", out.path, "--no-debug-video", "--no-report", "-q"] + extra)
        return try exam(out.appendingPathComponent(OutputNames.stem(of: video) + OutputNames.examJSON).path)
    }

    private func mouth(_ m: ExamResult.Movement) -> ExamResult.ZoneSymmetry { m.zones.first { $0.zone == .mouth }! }

    /// The rows of `<stem>_exam_stills.jpg` (checking its size).
    private func stillRows(_ url: URL) throws -> Int {
        let sheet = try Imaging.read(path: url.path)
        XCTAssertEqual(sheet.width, ExamStills.width)
        XCTAssertEqual(sheet.height % ExamStills.rowHeight, 0)
        return sheet.height / ExamStills.rowHeight
    }

    /// The mean absolute grey difference between two rows' pictures (rest and peak, both sides) of two sheets.
    private func difference(_ a: Image, row i: Int, _ b: Image, row j: Int) -> Double {
        var sum = 0.0, n = 0
        for y in ExamStills.band..<(ExamStills.band + ExamStills.face) {
            for x in 0..<ExamStills.width {
                sum += abs(a.grey(x: x, y: i * ExamStills.rowHeight + y) - b.grey(x: x, y: j * ExamStills.rowHeight + y))
                n += 1
            }
        }
        return sum / Double(n)
    }

    func testTheMovementsOfSyntheticExamsAreFoundLabelledAndMeasured() throws {
        let dir = try Fixtures.scratch(self)
        let smiles = try clip("smiles", in: dir)
        let found = try process(smiles.video, dir.appendingPathComponent("out"))
        XCTAssertEqual(found.timeline.source, .auto)
        XCTAssertNil(found.timeline.file)
        let truthMoves = smiles.truth.filter { $0.action != .rest }
        XCTAssertEqual(found.movements.count, truthMoves.count, "\(found.timeline.segments)")
        for (m, t) in zip(found.movements, truthMoves) {
            XCTAssertTrue([.softSmile, .bigSmile].contains(m.action), "\(m.action)")
            XCTAssertEqual(m.start, t.start, accuracy: 0.25, "\(m.action) starts within 0.25 s of the truth")
            XCTAssertEqual(m.end, t.end, accuracy: 0.25, "\(m.action) ends within 0.25 s of the truth")
            XCTAssertEqual(m.source, .auto)
            XCTAssertGreaterThan(m.confidence, 0.3)
            XCTAssertEqual(m.restFrom, "rest segments")
        }
        let asymmetric = mouth(found.movements[0]), symmetric = mouth(found.movements[1])
        print("smiles: mouth symmetry \(asymmetric.symmetry) (weaker \(asymmetric.weakerSide ?? "-")) and \(symmetric.symmetry)")
        XCTAssertEqual(asymmetric.weakerSide, "right", "the patient's right corner was lifted 2 px, the left 10 px")
        XCTAssertLessThanOrEqual(asymmetric.symmetry, symmetric.symmetry - 25)
        XCTAssertGreaterThan(symmetric.symmetry, 75)
        // The timeline file lists the same segments with their source, never read back as a coding.
        let timeline = try CSVTable(path: dir.appendingPathComponent("out/smiles_timeline.csv").path)
        XCTAssertEqual(timeline.header, ExamTables.timelineColumns)
        XCTAssertEqual(timeline.text("action"), found.timeline.segments.map(\.action.rawValue))
        XCTAssertEqual(Set(timeline.text("source")), ["auto"])
        let table = try CSVTable(path: dir.appendingPathComponent("out/smiles_exam.csv").path)
        XCTAssertEqual(table.header, ExamTables.examColumns)
        // Per movement: 4 zones + 8 measures + 1 synkinesis line; then 4 resting lines.
        XCTAssertEqual(table.rows.count, 2 * (4 + FacialMeasure.allCases.count + 1) + 4)
        // One still per movement: a typical rest frame (inside a rest segment) and the peak's extreme
        // (inside the peak), each as right-right and left-left.
        let sheetURL = dir.appendingPathComponent("out/smiles_exam_stills.jpg")
        XCTAssertEqual(try stillRows(sheetURL), found.movements.count)
        for m in found.movements {
            let rest = try XCTUnwrap(m.restStillFrame), peak = try XCTUnwrap(m.peakStillFrame)
            XCTAssertTrue(found.timeline.segments.contains { $0.action == .rest && $0.contains(smiles.times[rest]) }, "rest still at frame \(rest)")
            XCTAssertTrue((m.peakFirstFrame!...m.peakLastFrame!).contains(peak), "peak still at frame \(peak)")
        }

        let brows = try clip("brows", in: dir)
        let raised = try process(brows.video, dir.appendingPathComponent("out"))
        XCTAssertEqual(raised.movements.map(\.action), [.raiseEyebrows], "\(raised.timeline.segments)")
        let truth = brows.truth.first { $0.action == .raiseEyebrows }!
        XCTAssertEqual(raised.movements[0].start, truth.start, accuracy: 0.25)
        XCTAssertEqual(raised.movements[0].end, truth.end, accuracy: 0.25)
        XCTAssertGreaterThan(raised.movements[0].zones.first { $0.zone == .brow }!.symmetry, 60, "both brows rose alike")

        let still = try clip("still", in: dir)
        let none = try process(still.video, dir.appendingPathComponent("out"))
        XCTAssertTrue(none.movements.isEmpty)
        XCTAssertTrue(none.noMovement?.hasPrefix("no movement found") == true, none.noMovement ?? "nil")
        XCTAssertEqual(try CSVTable(path: dir.appendingPathComponent("out/still_exam.csv").path).rows.count, 0, "no rows, never zeros")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/still_exam_stills.jpg").path), "no movement, no stills")
    }

    func testACodingFileAndAnUpstreamCodedCSVGiveTheSameNumbers() throws {
        let dir = try Fixtures.scratch(self)
        let smiles = try clip("smiles", in: dir)
        // A person's segments given with --actions.
        let coded = try process(smiles.video, dir.appendingPathComponent("coding"), ["--actions", dir.appendingPathComponent("smiles_truth.csv").path])
        XCTAssertEqual(coded.timeline.source, .codingFile)
        XCTAssertEqual(coded.timeline.sha256, try FileDigest.sha256(ofFile: dir.appendingPathComponent("smiles_truth.csv").path))
        // The same timeline as an upstream per-frame coded CSV beside a copy of the video.
        let upstreamDir = dir.appendingPathComponent("upstream")
        try FileManager.default.createDirectory(at: upstreamDir, withIntermediateDirectories: true)
        let copy = upstreamDir.appendingPathComponent("smiles.mp4").path
        try FileManager.default.copyItem(atPath: smiles.video, toPath: copy)
        var lines = ["frame,timestamp,action,AU12_r"]
        for (k, t) in smiles.times.enumerated() {
            lines.append("\(k + 1),\(t),\(smiles.truth.first { $0.contains(t) }?.action.rawValue ?? ""),0")
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: upstreamDir.appendingPathComponent("smiles_left_mirrored_coded.csv").path,
                                                         atomically: true, encoding: .utf8)
        let upstream = try process(copy, dir.appendingPathComponent("upstream-out"))
        XCTAssertEqual(upstream.timeline.source, .upstreamCSV)
        XCTAssertEqual(upstream.timeline.segments.map(\.action), coded.timeline.segments.map(\.action))
        // The truth file rounds to 0.1 ms; the upstream CSV gives the frames' own times: the same frames.
        for (a, b) in zip(upstream.timeline.segments, coded.timeline.segments) {
            XCTAssertEqual(a.start, b.start, accuracy: 1e-3)
            XCTAssertEqual(a.end, b.end, accuracy: 1e-3)
        }
        XCTAssertEqual(coded.movements.map(\.action), [.softSmile, .softSmile])
        for (a, b) in zip(coded.movements, upstream.movements) {
            XCTAssertEqual(a.peakFirstFrame, b.peakFirstFrame)
            XCTAssertEqual(a.peakLastFrame, b.peakLastFrame)
            for (x, y) in zip(a.items, b.items) {
                XCTAssertEqual(x.name, y.name)
                XCTAssertEqual(x.movement, y.movement, "\(a.action) \(x.name)")
            }
        }
        XCTAssertEqual(mouth(coded.movements[0]).weakerSide, "right")
        XCTAssertLessThanOrEqual(mouth(coded.movements[0]).symmetry, mouth(coded.movements[1]).symmetry - 25)
        // The timeline's source is listed beside each segment.
        let timeline = try CSVTable(path: dir.appendingPathComponent("upstream-out/smiles_timeline.csv").path)
        XCTAssertEqual(Set(timeline.text("source")), ["upstream csv"])
    }

    func testABadCodingIsAnErrorAndTheOtherOutputsAreKept() throws {
        let dir = try Fixtures.scratch(self)
        let still = try clip("still", in: dir)
        let coding = dir.appendingPathComponent("still_actions.csv").path
        try "action,start,end\nBL,0,1\nXX,1,2\n".write(toFile: coding, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out")
        let r = try Fixtures.run(Fixtures.cli(), ["process", still.video, "-o", out.path, "--no-debug-video"], allowFailure: true)
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("\(coding) line 3: unknown movement code 'XX'"), r.stderr)
        XCTAssertTrue(r.stdout.contains("exam not analysed: \(coding) line 3"), r.stdout)
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: out.path))
        for suffix in OutputNames.examFiles(actionUnits: true) { XCTAssertFalse(names.contains("still" + suffix), suffix) }
        for suffix in [OutputNames.landmarks, OutputNames.asymmetry, OutputNames.provenance, OutputNames.report] {
            XCTAssertTrue(names.contains("still" + suffix), suffix)
        }
        // --actions refuses a missing file and more than one video before anything runs.
        let missing = try Fixtures.run(Fixtures.cli(), ["process", still.video, "--actions", dir.appendingPathComponent("none.csv").path],
                                       allowFailure: true)
        XCTAssertEqual(missing.status, 64)
        XCTAssertTrue(missing.stderr.contains("none.csv: no such file"), missing.stderr)
        let two = try Fixtures.run(Fixtures.cli(), ["process", still.video, still.video, "--actions", coding], allowFailure: true)
        XCTAssertEqual(two.status, 64)
        XCTAssertTrue(two.stderr.contains("--actions codes one video"), two.stderr)
    }

    /// With OpenFace 2's AUs: the coded CSVs read as the upstream analysis reads them (scripts/dev/check_coded_csv.py).
    func testTheCodedCSVsReadAsTheUpstreamAnalysisReadsThem() throws {
        let models = try Fixtures.requireShared(file: "models/openface2/models", "no OpenFace 2 models")
        let dir = try Fixtures.scratch(self)
        let smiles = try clip("smiles", in: dir)
        let out = dir.appendingPathComponent("out")
        let exam = try process(smiles.video, out, ["--au", "openface2", "--openface2", models])
        for side in ["left", "right"] {
            let r = try Fixtures.run("/usr/bin/python3", [Fixtures.repoRoot.appendingPathComponent("scripts/dev/check_coded_csv.py").path,
                                                          out.appendingPathComponent("smiles_\(side)_mirrored_coded.csv").path,
                                                          "--frames", "\(smiles.times.count)"])
            print("\(side): \(r.stdout)")
            let summary = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
            let perCode = summary["frames_per_code"] as! [String: Int]
            XCTAssertEqual(Set(perCode.keys), Set(exam.timeline.segments.map(\.action.rawValue)))
            XCTAssertEqual(perCode.values.reduce(0, +), smiles.times.count)
        }
        // The smile's AU12 is weaker on the patient's right too.
        let au12 = exam.movements[0].items.first { $0.name == "AU12" }!
        XCTAssertEqual(au12.weakerSide, "right")
        // The head pose from OpenFace 2's face model, in the landmark CSV: the photo faces the camera.
        let landmarks = try CSVTable(path: out.appendingPathComponent("smiles_landmarks.csv").path)
        for column in HeadPose.columns { XCTAssertTrue(landmarks.column(column).allSatisfy(\.isFinite), column) }
        let yaw = landmarks.column("pose_Ry").map { abs($0) * 180 / .pi }, pitch = landmarks.column("pose_Rx").map { abs($0) * 180 / .pi }
        print("pose: |yaw| up to \(yaw.max()!)°, |pitch| up to \(pitch.max()!)°, Tz median \(Fixtures.median(landmarks.column("pose_Tz"))) mm")
        XCTAssertLessThan(yaw.max()!, 10)
        XCTAssertLessThan(pitch.max()!, 15)
        // Each frame's fit starts from the frame before's (as OpenFace 2.2's tracker carries its pose): it
        // ends where a fit from scratch on the same points ends.
        let estimator = HeadPoseEstimator(pdm: try OpenFace2Models(directory: models).pdm, width: 1280, height: 720)
        var worst = 0.0
        for row in stride(from: 0, to: landmarks.rows.count, by: 7) {
            let xy = (0..<68).flatMap { [Float(landmarks.column("x_\($0)")[row]), Float(landmarks.column("y_\($0)")[row])] }
            var fresh: PDMParameters? = nil
            let cold = try XCTUnwrap(estimator.pose(FaceLandmarks(layout: .dlib68, xy: xy), previous: &fresh))
            let written = HeadPose.columns.map { landmarks.column($0)[row] }
            worst = max(worst, zip(cold.values[3...], written[3...]).map { abs($0 - $1) }.max()!)
            XCTAssertEqual(cold.tz, written[2], accuracy: 0.01 * cold.tz, "row \(row)")
        }
        print("pose: the carried fit's rotation is within \(worst * 180 / .pi)° of a fresh fit's")
        XCTAssertLessThan(worst * 180 / .pi, 0.5)
        XCTAssertEqual(exam.movements[0].flags.filter { $0.contains("head turned") }, [])

        // --au-baseline rest: the dynamic AUs read zero at rest (their median over the rest frames, up
        // to the 3-frame smoothing), where OpenFace 2.2's baseline leaves them where the video's faces put them.
        let restOut = dir.appendingPathComponent("rest")
        let rest = try process(smiles.video, restOut, ["--au", "openface2", "--openface2", models, "--au-baseline", "rest",
                                                         "--actions", dir.appendingPathComponent("smiles_truth.csv").path])
        let restFrames = smiles.times.indices.filter { i in rest.timeline.segments.contains { $0.action == .rest && $0.contains(smiles.times[i]) } }
        let dynamic = OpenFace2Models.defaultRegressors.filter { $0.value.contains("dynamic") }.keys.sorted()
        var moved = 0
        for side in ["left", "right"] {
            let withRest = try CSVTable(path: restOut.appendingPathComponent("smiles_\(side)_mirrored.csv").path)
            let withVideo = try CSVTable(path: out.appendingPathComponent("smiles_\(side)_mirrored.csv").path)
            for unit in dynamic {
                let r = withRest.column(unit + "_r"), v = withVideo.column(unit + "_r")
                XCTAssertLessThanOrEqual(Fixtures.median(restFrames.map { r[$0] }), 0.1, "\(side) \(unit) at rest")
                if zip(r, v).contains(where: { abs($0 - $1) > 1e-3 }) { moved += 1 }
            }
        }
        XCTAssertGreaterThan(moved, 0, "the baseline changed some dynamic AU")
        let provenance = try String(contentsOf: restOut.appendingPathComponent("smiles_provenance.json"), encoding: .utf8)
        XCTAssertTrue(provenance.contains("\"au_baseline\" : \"rest\""), "recorded")
    }

    /// A person's coding added after a study ran (or changed) redoes only the exam, from the outputs: the
    /// per-frame outputs are not written again, the numbers are those of a whole run with that coding, the
    /// state and the completion record list the new files; a bad coding keeps the earlier exam and says why.
    /// A timeline of more movements than the stills sheet holds: the sheet shows `ExamStills.maxRows` of
    /// them (the first of each code among them) and says so in a last band; the report's caption says so
    /// too, and the exam's table keeps every movement.
    func testTheStillsSheetHoldsAtMostItsRows() throws {
        let dir = try Fixtures.scratch(self)
        let smiles = try clip("smiles", in: dir)
        let codes = ["SS", "BS", "RE", "PL", "SO"]
        var coding = "action,start,end\nBL,0.000,0.300\n"
        for k in 0..<30 {
            // The last is the only one of its code: the sheet shows it though it is not among the earliest.
            coding += "\(k == 29 ? "ET" : codes[k % codes.count]),\(String(format: "%.3f", 0.3 + 0.15 * Double(k))),\(String(format: "%.3f", 0.45 + 0.15 * Double(k)))\n"
        }
        coding += "BL,4.800,\(String(format: "%.3f", smiles.truth.last!.end))\n"
        let actions = dir.appendingPathComponent("many_actions.csv")
        try coding.write(to: actions, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out")
        try Fixtures.run(Fixtures.cli(), ["process", smiles.video, "-o", out.path, "--no-debug-video", "-q", "--actions", actions.path])
        let result = try exam(out.appendingPathComponent("smiles_exam.json").path)
        XCTAssertEqual(result.movements.count, 30)
        let sheet = try Imaging.read(path: out.appendingPathComponent("smiles_exam_stills.jpg").path)
        XCTAssertEqual(sheet.height, ExamStills.maxRows * ExamStills.rowHeight + ExamStills.band, "24 rows and the band that says so")
        let shown = ExamStills.shown(result.movements)
        XCTAssertEqual(shown.count, ExamStills.maxRows)
        XCTAssertEqual(Set(shown.map(\.action.rawValue)), Set(codes + ["ET"]))
        XCTAssertEqual(shown.map(\.start), (Array(result.movements.prefix(ExamStills.maxRows - 1)) + [result.movements[29]]).map(\.start),
                       "the first of each code, then the earliest, in time order")
        let report = try String(contentsOf: out.appendingPathComponent("smiles_report.html"), encoding: .utf8)
        XCTAssertTrue(report.contains("The sheet shows 24 of the 30 movements"), "the caption says so")
        XCTAssertEqual(report.components(separatedBy: "<tr").count - 1 >= 30, true, "the tables keep every movement")
    }

    func testACodingAddedLaterRedoesOnlyTheExam() throws {
        let dir = try Fixtures.scratch(self)
        let smiles = try clip("smiles", in: dir)
        let out = dir.appendingPathComponent("out")
        let first = try Fixtures.run(Fixtures.cli(), ["process", smiles.video, "-o", out.path, "--no-debug-video"])
        XCTAssertTrue(first.stdout.contains("1 video: 1 done"), first.stdout)
        let landmarks = out.appendingPathComponent("smiles_landmarks.csv"), mirrored = out.appendingPathComponent("smiles_left_mirrored.mp4")
        func stamp(_ url: URL) throws -> (Date, Data) {
            (try FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate] as! Date, try Data(contentsOf: url))
        }
        let before = try [stamp(landmarks), stamp(mirrored)]
        XCTAssertEqual(try exam(out.appendingPathComponent("smiles_exam.json").path).timeline.source, .auto)

        // The coding appears beside the video.
        try FileManager.default.copyItem(at: dir.appendingPathComponent("smiles_truth.csv"), to: dir.appendingPathComponent("smiles_actions.csv"))
        let second = try Fixtures.run(Fixtures.cli(), ["process", smiles.video, "-o", out.path, "--no-debug-video"])
        XCTAssertTrue(second.stdout.contains("again, only the exam: its timeline was found automatically, now a person's coding"), second.stdout)
        XCTAssertTrue(second.stdout.contains("exam made again from its outputs"), second.stdout)
        let after = try [stamp(landmarks), stamp(mirrored)]
        for (a, b) in zip(before, after) { XCTAssertEqual(a.0, b.0); XCTAssertEqual(a.1, b.1) }
        let redone = try exam(out.appendingPathComponent("smiles_exam.json").path)
        XCTAssertEqual(redone.timeline.source, .codingFile)
        XCTAssertTrue(try String(contentsOf: out.appendingPathComponent("smiles_report.html"), encoding: .utf8).contains("Timeline: the coding"))
        let record = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("smiles_provenance.json"))) as! [String: Any]
        let listed = (record["outputs"] as! [[String: Any]]).first { $0["name"] as? String == "smiles_exam.json" }
        XCTAssertEqual(listed?["sha256"] as? String, try FileDigest.sha256(ofFile: out.appendingPathComponent("smiles_exam.json").path))
        // The same numbers as a whole run with the coding.
        let whole = try process(smiles.video, dir.appendingPathComponent("whole"), ["--actions", dir.appendingPathComponent("smiles_actions.csv").path])
        XCTAssertEqual(whole.movements.count, redone.movements.count)
        // The stills too, cut from the mirrored videos: the same frames, one row per movement.
        XCTAssertEqual(try stillRows(out.appendingPathComponent("smiles_exam_stills.jpg")), redone.movements.count)
        let sheetListed = (record["outputs"] as! [[String: Any]]).first { $0["name"] as? String == "smiles_exam_stills.jpg" }
        XCTAssertEqual(sheetListed?["sha256"] as? String, try FileDigest.sha256(ofFile: out.appendingPathComponent("smiles_exam_stills.jpg").path))
        // The pictures as well: cut from the decoded mirrored videos they differ from the run's own by the
        // video coding only, far less than two different movements' pictures differ.
        let wholeSheet = try Imaging.read(path: dir.appendingPathComponent("whole/smiles_exam_stills.jpg").path)
        let redoneSheet = try Imaging.read(path: out.appendingPathComponent("smiles_exam_stills.jpg").path)
        let same = difference(wholeSheet, row: 0, redoneSheet, row: 0), other = difference(wholeSheet, row: 0, redoneSheet, row: 1)
        print("stills: the run's and the redone sheet differ by \(same) grey levels; two movements by \(other)")
        XCTAssertLessThan(same, 4)
        XCTAssertGreaterThan(other, 2 * same)
        for (a, b) in zip(whole.movements, redone.movements) {
            XCTAssertEqual(a.restStillFrame, b.restStillFrame)
            XCTAssertEqual(a.peakStillFrame, b.peakStillFrame)
            XCTAssertEqual(a.peakFirstFrame, b.peakFirstFrame)
            for (x, y) in zip(a.items, b.items) {
                XCTAssertEqual(x.movement.right, y.movement.right, accuracy: 1e-4, x.name)
                XCTAssertEqual(x.movement.left, y.movement.left, accuracy: 1e-4, x.name)
            }
        }
        // Nothing changed: nothing to do.
        let third = try Fixtures.run(Fixtures.cli(), ["process", smiles.video, "-o", out.path, "--no-debug-video"])
        XCTAssertTrue(third.stdout.contains("skipped, done before"), third.stdout)
        // A bad coding: said, the exam made before kept, the exit status 1; fixed, the exam follows it.
        try "action,start,end\nBL,0,1\nXX,1,2\n".write(to: dir.appendingPathComponent("smiles_actions.csv"), atomically: true, encoding: .utf8)
        let bad = try Fixtures.run(Fixtures.cli(), ["process", smiles.video, "-o", out.path, "--no-debug-video"], allowFailure: true)
        XCTAssertEqual(bad.status, 1, bad.stderr)
        XCTAssertTrue(bad.stderr.contains("smiles_actions.csv line 3: unknown movement code 'XX'"), bad.stderr)
        XCTAssertEqual(try exam(out.appendingPathComponent("smiles_exam.json").path).timeline.source, .codingFile, "kept")
        try "action,start,end\nBL,0,1\nRE,1,2\nBL,2,5.8\n".write(to: dir.appendingPathComponent("smiles_actions.csv"), atomically: true, encoding: .utf8)
        let fixed = try Fixtures.run(Fixtures.cli(), ["process", smiles.video, "-o", out.path, "--no-debug-video"])
        XCTAssertTrue(fixed.stdout.contains("exam made again from its outputs"), fixed.stdout)
        XCTAssertEqual(try exam(out.appendingPathComponent("smiles_exam.json").path).movements.map(\.action), [.raiseEyebrows])
        XCTAssertEqual(try stillRows(out.appendingPathComponent("smiles_exam_stills.jpg")), 1)
        // Rest only: no movement, so no stills, and the record no longer lists them.
        try "action,start,end\nBL,0,5.8\n".write(to: dir.appendingPathComponent("smiles_actions.csv"), atomically: true, encoding: .utf8)
        let restOnly = try Fixtures.run(Fixtures.cli(), ["process", smiles.video, "-o", out.path, "--no-debug-video"])
        XCTAssertTrue(restOnly.stdout.contains("exam made again from its outputs"), restOnly.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("smiles_exam_stills.jpg").path))
        let lastRecord = try String(contentsOf: out.appendingPathComponent("smiles_provenance.json"), encoding: .utf8)
        XCTAssertFalse(lastRecord.contains("smiles_exam_stills.jpg"), "the record lists only what exists")
        let status = try Fixtures.run(Fixtures.cli(), ["study", "status", out.path])
        XCTAssertTrue(status.stdout.contains("done 1"), status.stdout)
    }
}
