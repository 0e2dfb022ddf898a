import FaceModels
import FaceMirror
import FaceMirrorCore
import FileDigest
import Foundation
import ModelStore
import ModelToolchain
import OrtBinding
import TestSupport
import XCTest

/// The model store: import, manifest, and fetch from a local HTTP server (resume, SHA-256 check).
final class ModelStoreTests: XCTestCase {
    func testSHA256OfFiles() throws {
        let dir = try Fixtures.scratch(self)
        let empty = dir.appendingPathComponent("empty").path, abc = dir.appendingPathComponent("abc").path
        try Data().write(to: URL(fileURLWithPath: empty))
        try Data("abc".utf8).write(to: URL(fileURLWithPath: abc))
        XCTAssertEqual(try FileDigest.sha256(ofFile: empty), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(try FileDigest.sha256(ofFile: abc), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        // A real file read in pieces agrees with the system's sha256sum.
        let sample = try Fixtures.sample()
        let expected = try Fixtures.run("/usr/bin/sha256sum", [sample]).stdout.split(separator: " ")[0]
        XCTAssertEqual(try FileDigest.sha256(ofFile: sample), String(expected))
        XCTAssertThrowsError(try FileDigest.sha256(ofFile: dir.appendingPathComponent("none").path)) {
            XCTAssertTrue("\($0)".contains("none: no such file"), "\($0)")
        }
    }

    func testABadCatalogueOrManifestIsDescribedNotDumped() throws {
        let dir = try Fixtures.scratch(self)
        let catalog = dir.appendingPathComponent("catalog.json")
        try Data(#"[{"name": "x", "sha256": "00", "source": "https://example.invalid/x.onnx", "licence": "MIT"}]"#.utf8).write(to: catalog)
        XCTAssertThrowsError(try ModelCatalog.entries(environment: ["FACEMIRROR_MODEL_CATALOG": catalog.path])) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix(catalog.path), text)
            XCTAssertTrue(text.contains("missing \"file\" at [0]"), text)
            XCTAssertFalse(text.contains("Context("), "no Swift struct in the message: \(text)")
        }
        let store = ModelStore(directory: dir)
        try Data("{not json".utf8).write(to: dir.appendingPathComponent(ModelStore.manifestName))
        XCTAssertThrowsError(try store.entries()) { error in
            XCTAssertTrue("\(error)".contains("unreadable manifest (not valid JSON"), "\(error)")
            XCTAssertFalse("\(error)".contains("Context("), "\(error)")
        }
    }

    /// Names and files from a catalogue, the manifest or the command line stay inside the store: a
    /// catalogue entry whose file climbs out is refused before anything is written, as are names that are
    /// not plain words, and a file's stem becomes a plain name.
    func testNamesAndFilesStayInsideTheStore() throws {
        let dir = try Fixtures.scratch(self)
        let storeDir = dir.appendingPathComponent("a/store")
        let store = ModelStore(directory: storeDir)
        let catalog = dir.appendingPathComponent("catalog.json")
        try Data(#"[{"name": "pwn", "file": "../../pwned3.onnx", "sha256": "00", "source": "https://example.invalid/x.onnx", "licence": "MIT"}]"#.utf8).write(to: catalog)
        XCTAssertThrowsError(try ModelCatalog.entries(environment: ["FACEMIRROR_MODEL_CATALOG": catalog.path])) { error in
            XCTAssertTrue("\(error)".contains("pwn: its file ../../pwned3.onnx would lie outside the model store"), "\(error)")
        }
        let entry = ModelEntry(name: "pwn", file: "../../pwned3.onnx", sha256: "00", source: "https://example.invalid/x.onnx", licence: "MIT")
        XCTAssertThrowsError(try store.fetch(entry))
        let model = try TinyOnnx.write(TinyOnnx.scaleModel(shape: [2], factor: 2), to: dir, name: "my model (v2).onnx")
        for bad in ["../../evil", "/tmp/x", ".hidden", "a//b", "a/../b", ""] {
            XCTAssertThrowsError(try store.importFile(model, name: bad), bad) { XCTAssertTrue("\($0)".contains("not a model name"), "\($0)") }
            XCTAssertThrowsError(try store.install(model, as: bad), bad)
        }
        let files = try FileManager.default.subpathsOfDirectory(atPath: dir.path).sorted()
        XCTAssertFalse(files.contains { $0.contains("pwned3") || $0.contains("evil") || $0.hasSuffix(".partial") }, "\(files)")
        XCTAssertEqual(try store.importFile(model).name, "my_model__v2_")
        // A manifest edited to point outside is refused when read.
        let manifest = storeDir.appendingPathComponent(ModelStore.manifestName)
        let edited = try String(contentsOf: manifest, encoding: .utf8).replacingOccurrences(of: "\"my model (v2).onnx\"", with: "\"../../../etc/passwd\"")
        try edited.write(to: manifest, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try store.entries()) { XCTAssertTrue("\($0)".contains("would lie outside the model store"), "\($0)") }
    }

    func testImportRecordsTheFileInTheManifest() throws {
        let dir = try Fixtures.scratch(self)
        let model = try TinyOnnx.write(TinyOnnx.scaleModel(shape: [2], factor: 2), to: dir, name: "tiny.onnx")
        let store = ModelStore(directory: dir.appendingPathComponent("store"))
        let e = try store.importFile(model, licence: "MIT")
        XCTAssertEqual(e.name, "tiny")
        XCTAssertEqual(e.sha256, try FileDigest.sha256(ofFile: model))
        XCTAssertEqual(try store.entries(), [e])
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: store.path(of: e))), try Data(contentsOf: URL(fileURLWithPath: model)))
        XCTAssertEqual(try InferenceSession(modelPath: store.path(of: e)).run(["x": Tensor(shape: [2], values: [1, 2])])["y"]?.values, [2, 4])
        XCTAssertThrowsError(try store.importFile(dir.appendingPathComponent("none.onnx").path))
    }

    private func server(_ dir: URL) throws -> (url: String, log: URL) { try Fixtures.rangeServer(serving: dir, for: self) }

    func testFetchResumesChecksAndRefusesAMismatch() throws {
        let dir = try Fixtures.scratch(self)
        let served = dir.appendingPathComponent("served")
        try FileManager.default.createDirectory(at: served, withIntermediateDirectories: true)
        // A real model file, large enough to be sent in pieces.
        let model = try TinyOnnx.write(TinyOnnx.constantModel(input: ("input", [1]), outputs: [("y", [64, 64], (0..<4096).map(Float.init))]),
                                       to: served, name: "const.onnx")
        let sha = try FileDigest.sha256(ofFile: model)
        let (base, log) = try server(served)
        let store = ModelStore(directory: dir.appendingPathComponent("store"))
        let entry = ModelEntry(name: "const", file: "const.onnx", sha256: sha, source: "\(base)/const.onnx", licence: "test")

        // An interrupted download keeps its bytes under a hidden partial name, not the final one.
        var cut = entry
        cut.source += "?cut=5000"
        XCTAssertThrowsError(try store.fetch(cut)) { XCTAssertTrue("\($0)".contains("interrupted"), "\($0)") }
        XCTAssertFalse(FileManager.default.fileExists(atPath: store.path(of: entry)))
        let partial = store.directory.appendingPathComponent(".const.onnx.partial").path
        XCTAssertEqual((try FileManager.default.attributesOfItem(atPath: partial)[.size] as? NSNumber)?.intValue, 5000)
        XCTAssertEqual(try store.entries(), [])

        // Fetching again resumes from byte 5000 and verifies the whole file.
        var reports: [Int64] = []
        let got = try store.fetch(entry) { done, _ in reports.append(done) }
        XCTAssertEqual(got.sha256, sha)
        XCTAssertEqual(try FileDigest.sha256(ofFile: store.path(of: entry)), sha)
        XCTAssertFalse(FileManager.default.fileExists(atPath: partial))
        XCTAssertEqual(try store.entries().map(\.name), ["const"])
        XCTAssertGreaterThan(reports.first ?? 0, 5000, "progress counts the resumed bytes")
        let requests = try String(contentsOf: log, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(requests.last, "/const.onnx bytes=5000-")
        XCTAssertEqual(try InferenceSession(modelPath: store.path(of: entry)).outputs.map(\.name), ["y"])

        // A file that does not hash to the catalogue's value is refused and nothing of it is kept.
        var bad = entry
        bad.name = "bad"; bad.file = "bad.onnx"; bad.sha256 = String(repeating: "0", count: 64)
        bad.source = "\(base)/const.onnx"
        XCTAssertThrowsError(try store.fetch(bad)) { XCTAssertTrue("\($0)".contains("SHA-256"), "\($0)") }
        XCTAssertFalse(FileManager.default.fileExists(atPath: store.directory.appendingPathComponent("bad.onnx").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: store.directory.appendingPathComponent(".bad.onnx.partial").path))
        XCTAssertEqual(try store.entries().map(\.name), ["const"])

        // Plain HTTP elsewhere than loopback is refused.
        var insecure = entry
        insecure.file = "other.onnx"
        insecure.source = "http://example.invalid/x.onnx"
        XCTAssertThrowsError(try store.fetch(insecure)) { XCTAssertTrue("\($0)".contains("HTTPS"), "\($0)") }
    }
}

/// `model install`: a new file under a stored name, the old one kept and used when the new one fails.
final class ModelInstallTests: XCTestCase {
    /// A STAR-shaped model whose landmarks are all at `value` (in the network's [−1, 1] crop units).
    private func starShaped(_ value: Float, in dir: URL, name: String) throws -> String {
        try TinyOnnx.write(TinyOnnx.constantModel(input: ("input_image", [1, 3, 256, 256]),
                                                  outputs: [("landmarks", [1, 98, 2], [Float](repeating: value, count: 196))]),
                           to: dir, name: name)
    }

    func testInstallKeepsABackupAndLoadingFallsBackToIt() throws {
        let dir = try Fixtures.scratch(self)
        let store = ModelStore(directory: dir.appendingPathComponent("store"))
        let first = try starShaped(0.25, in: dir, name: "first.onnx")
        let second = try starShaped(-0.25, in: dir, name: "second.onnx")
        let a = try store.install(first, as: "landmarker")
        XCTAssertNil(a.backup)
        let b = try store.install(second, as: "landmarker")
        XCTAssertEqual(b.file, "first.onnx", "the stored file name stays")
        XCTAssertEqual(b.backup, "first.onnx.bak")
        XCTAssertEqual(try store.entries().count, 1)
        let files = try store.files(of: "landmarker")
        XCTAssertEqual(files.path, store.path(of: b))
        XCTAssertEqual(files.backup, store.directory.appendingPathComponent("first.onnx.bak").path)
        XCTAssertThrowsError(try store.files(of: "nothing")) { XCTAssertTrue("\($0)".contains("nothing: no such model"), "\($0)") }

        // The stage loads the installed file once; the backup only when that one does not load.
        let model = ModelFile(path: files.path, fallback: files.backup)
        let photo = Image(width: 300, height: 300, fill: 128)
        let box = FaceBox(left: 100, top: 100, right: 200, bottom: 200)
        let installed = try OnnxLandmarkDetector(model: model)
        XCTAssertNil(installed.fallbackNote)
        let expectInstalled = try OnnxLandmarkDetector(modelPath: second).landmarks(in: photo, box: box)
        let expectBackup = try OnnxLandmarkDetector(modelPath: first).landmarks(in: photo, box: box)
        XCTAssertNotEqual(expectInstalled, expectBackup)
        XCTAssertEqual(try installed.landmarks(in: photo, box: box), expectInstalled)
        try Data("broken".utf8).write(to: URL(fileURLWithPath: files.path))
        let fallback = try OnnxLandmarkDetector(model: model)
        XCTAssertTrue(fallback.fallbackNote?.contains("using the previous file \(files.backup!)") ?? false, fallback.fallbackNote ?? "no note")
        XCTAssertTrue(fallback.fallbackNote?.hasPrefix(files.path) ?? false, "names the file that failed: \(fallback.fallbackNote ?? "")")
        XCTAssertEqual(try fallback.landmarks(in: photo, box: box), expectBackup)
        XCTAssertThrowsError(try OnnxLandmarkDetector(model: ModelFile(path: files.path)), "no fallback: the damaged file is an error")
    }
}

/// Files that are not models, or that would take the place of a stored one: a named pipe, a link to
/// /dev/zero, random bytes, an empty file and a folder are refused at once by every reader, leaving
/// nothing in the store; a second model with the same name or file name is refused unless asked for.
final class HostileModelFileTests: XCTestCase {
    /// Runs `body` on another thread and fails (rather than hangs) if it takes more than 30 s.
    private func within30s(_ what: String, _ body: @escaping @Sendable () throws -> Void) {
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            do { try body() } catch { XCTFail("\(what): \(error)") }
            done.signal()
        }
        if done.wait(timeout: .now() + 30) == .timedOut { XCTFail("\(what) still reading after 30 s") }
    }

    func testPipesDevicesAndNonModelsAreRefusedAndLeaveNothing() throws {
        let dir = try Fixtures.scratch(self)
        let fifo = dir.appendingPathComponent("fifo.onnx").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let zero = dir.appendingPathComponent("zero.onnx").path
        try FileManager.default.createSymbolicLink(atPath: zero, withDestinationPath: "/dev/zero")
        let random = dir.appendingPathComponent("random.onnx").path
        try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }).write(to: URL(fileURLWithPath: random))
        let empty = dir.appendingPathComponent("empty.onnx").path
        FileManager.default.createFile(atPath: empty, contents: Data())
        let folder = dir.appendingPathComponent("folder.onnx").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        let storeDir = dir.appendingPathComponent("store")
        let store = ModelStore(directory: storeDir)
        let expected = [fifo: "is a named pipe (FIFO), not a file", zero: "is a character device, not a file",
                        random: "not an ONNX model", empty: "not an ONNX model (no graph)", folder: "is a folder, not a file"]
        for (path, reason) in expected {
            within30s("import \(path)") {
                XCTAssertThrowsError(try store.importFile(path, check: ONNXFile.problem(at:))) {
                    XCTAssertTrue("\($0)".hasPrefix(path) && "\($0)".contains(reason), "\($0)")
                }
                XCTAssertThrowsError(try store.install(path, as: "x", check: ONNXFile.problem(at:))) {
                    XCTAssertTrue("\($0)".contains(reason), "\($0)")
                }
            }
        }
        for path in [fifo, zero, folder] {
            within30s("reading \(path)") {
                XCTAssertThrowsError(try FileDigest.sha256(ofFile: path))
                XCTAssertThrowsError(try ONNXFile(path: path)) { XCTAssertTrue("\($0)".contains("not a file"), "\($0)") }
                XCTAssertThrowsError(try OnnxLandmarkDetector(modelPath: path)) { XCTAssertTrue("\($0)".contains("not a file"), "\($0)") }
            }
        }
        let left = (try? FileManager.default.contentsOfDirectory(atPath: storeDir.path)) ?? []
        XCTAssertEqual(left, [], "nothing stored, no .partial left: \(left)")
        // A file larger than an ONNX file can be is refused before it is read.
        let big = dir.appendingPathComponent("big.onnx").path
        FileManager.default.createFile(atPath: big, contents: nil)
        XCTAssertEqual(truncate(big, off_t(RegularFile.modelByteLimit) + 1), 0)
        XCTAssertThrowsError(try store.importFile(big)) { XCTAssertTrue("\($0)".contains("more than the \(RegularFile.modelByteLimit)"), "\($0)") }
        XCTAssertEqual((try? FileManager.default.contentsOfDirectory(atPath: storeDir.path)) ?? [], [])
    }

    func testASecondModelOfTheSameNameIsNotStoredSilently() throws {
        let dir = try Fixtures.scratch(self)
        for sub in ["a", "b"] { try FileManager.default.createDirectory(at: dir.appendingPathComponent(sub), withIntermediateDirectories: true) }
        let a = try TinyOnnx.write(TinyOnnx.scaleModel(shape: [2], factor: 2), to: dir.appendingPathComponent("a"), name: "m.onnx")
        let b = try TinyOnnx.write(TinyOnnx.scaleModel(shape: [2], factor: 3), to: dir.appendingPathComponent("b"), name: "m.onnx")
        let store = ModelStore(directory: dir.appendingPathComponent("store"))
        let first = try store.importFile(a, check: ONNXFile.problem(at:))
        XCTAssertThrowsError(try store.importFile(b, check: ONNXFile.problem(at:))) {
            XCTAssertTrue("\($0)".contains("m: a model of this name or file is already stored (\(store.path(of: first)))"), "\($0)")
            XCTAssertTrue("\($0)".contains("--overwrite"), "\($0)")
        }
        XCTAssertThrowsError(try store.importFile(b, name: "other")) { XCTAssertTrue("\($0)".contains("the stored file of the model m"), "\($0)") }
        XCTAssertEqual(try FileDigest.sha256(ofFile: store.path(of: first)), try FileDigest.sha256(ofFile: a), "the stored model is untouched")
        XCTAssertEqual(try store.entries(), [first])
        let second = try store.importFile(b, overwrite: true, check: ONNXFile.problem(at:))
        XCTAssertEqual(second.sha256, try FileDigest.sha256(ofFile: b))
        XCTAssertEqual(try store.entries(), [second])
        // A file the store did not record is neither replaced by import nor by install.
        let stray = store.directory.appendingPathComponent("stray.onnx")
        try Data("someone's notes".utf8).write(to: stray)
        let strayModel = try TinyOnnx.write(TinyOnnx.scaleModel(shape: [2], factor: 4), to: dir, name: "stray.onnx")
        XCTAssertThrowsError(try store.importFile(strayModel)) { XCTAssertTrue("\($0)".contains("already stored"), "\($0)") }
        XCTAssertThrowsError(try store.install(strayModel, as: "stray")) { XCTAssertTrue("\($0)".contains("a file the store did not record"), "\($0)") }
        XCTAssertEqual(try String(contentsOf: stray, encoding: .utf8), "someone's notes")
        // A folder at the stored file's place is never replaced, even with --overwrite.
        try FileManager.default.createDirectory(at: store.directory.appendingPathComponent("m2.onnx"), withIntermediateDirectories: false)
        let m2 = try TinyOnnx.write(TinyOnnx.scaleModel(shape: [2], factor: 5), to: dir, name: "m2.onnx")
        XCTAssertThrowsError(try store.importFile(m2, overwrite: true)) { XCTAssertTrue("\($0)".contains("not a plain file"), "\($0)") }
    }
}
