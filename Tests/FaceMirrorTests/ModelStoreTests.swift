import FaceMirror
import Foundation
import XCTest

/// The model store: import, manifest, and fetch from a local HTTP server (resume, SHA-256 check).
final class ModelStoreTests: XCTestCase {
    func testSHA256KnownValues() throws {
        var empty = SHA256Digest()
        XCTAssertEqual(empty.finish(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        var abc = SHA256Digest()
        abc.update(Data("abc".utf8))
        XCTAssertEqual(abc.finish(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        // Split updates of a real file agree with the system's sha256sum.
        let sample = try Fixtures.sample()
        let expected = try Fixtures.run("/usr/bin/sha256sum", [sample]).stdout.split(separator: " ")[0]
        XCTAssertEqual(try SHA256Digest.file(sample), String(expected))
        let data = try Data(contentsOf: URL(fileURLWithPath: sample))
        var pieces = SHA256Digest()
        for cut in stride(from: 0, to: data.count, by: 1000) { pieces.update(data[cut..<min(cut + 1000, data.count)]) }
        XCTAssertEqual(pieces.finish(), String(expected))
    }

    func testImportRecordsTheFileInTheManifest() throws {
        let dir = try Fixtures.scratch(self)
        let model = try TinyOnnx.write(TinyOnnx.scaleModel(shape: [2], factor: 2), to: dir, name: "tiny.onnx")
        let store = ModelStore(directory: dir.appendingPathComponent("store"))
        let e = try store.importFile(model, licence: "MIT")
        XCTAssertEqual(e.name, "tiny")
        XCTAssertEqual(e.sha256, try SHA256Digest.file(model))
        XCTAssertEqual(try store.entries(), [e])
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: store.path(of: e))), try Data(contentsOf: URL(fileURLWithPath: model)))
        XCTAssertEqual(try InferenceSession(modelPath: store.path(of: e)).run(["x": Tensor(shape: [2], values: [1, 2])])["y"]?.values, [2, 4])
        XCTAssertThrowsError(try store.importFile(dir.appendingPathComponent("none.onnx").path))
        // The CLI sees the same store through FACEMIRROR_MODELS.
        let cli = try Fixtures.run("/usr/bin/env", ["FACEMIRROR_MODELS=\(store.directory.path)", Fixtures.cli(), "model", "list"])
        XCTAssertTrue(cli.stdout.contains("tiny  tiny.onnx"), cli.stdout)
        XCTAssertTrue(cli.stdout.contains("retinaface-mnet025-widerface"), "the catalogue is listed")
    }

    /// Starts the range server over `dir`; returns its base URL and the request log.
    private func server(_ dir: URL) throws -> (url: String, log: URL) {
        let log = dir.appendingPathComponent("requests.log")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = [Fixtures.repoRoot.appendingPathComponent("Tests/Support/range_server.py").path, dir.path, log.path]
        let out = Pipe(), input = Pipe()
        p.standardOutput = out
        p.standardInput = input
        try p.run()
        addTeardownBlock { try? input.fileHandleForWriting.close(); p.waitUntilExit() }
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line += chunk
        }
        let port = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertFalse(port.isEmpty, "server started")
        return ("http://127.0.0.1:\(port)", log)
    }

    func testFetchResumesChecksAndRefusesAMismatch() throws {
        let dir = try Fixtures.scratch(self)
        let served = dir.appendingPathComponent("served")
        try FileManager.default.createDirectory(at: served, withIntermediateDirectories: true)
        // A real model file, large enough to be sent in pieces.
        let model = try TinyOnnx.write(TinyOnnx.constantModel(input: ("input", [1]), outputs: [("y", [64, 64], (0..<4096).map(Float.init))]),
                                       to: served, name: "const.onnx")
        let sha = try SHA256Digest.file(model)
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
        XCTAssertEqual(try SHA256Digest.file(store.path(of: entry)), sha)
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

    func testFetchFromTheCommandLine() throws {
        let dir = try Fixtures.scratch(self)
        let served = dir.appendingPathComponent("served")
        try FileManager.default.createDirectory(at: served, withIntermediateDirectories: true)
        let model = try TinyOnnx.write(TinyOnnx.scaleModel(shape: [2], factor: 5), to: served, name: "five.onnx")
        let (base, _) = try server(served)
        let catalog = dir.appendingPathComponent("catalog.json")
        let entry = ModelEntry(name: "five", file: "five.onnx", sha256: try SHA256Digest.file(model), source: "\(base)/five.onnx", licence: "test")
        try JSONEncoder().encode([entry]).write(to: catalog)
        let env = ["FACEMIRROR_MODELS=\(dir.appendingPathComponent("store").path)", "FACEMIRROR_MODEL_CATALOG=\(catalog.path)"]
        let r = try Fixtures.run("/usr/bin/env", env + [Fixtures.cli(), "model", "fetch", "five"])
        XCTAssertTrue(r.stdout.contains("fetched five"), r.stdout + r.stderr)
        let unknown = try Fixtures.run("/usr/bin/env", env + [Fixtures.cli(), "model", "fetch", "nope"], allowFailure: true)
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.stderr.contains("unknown model nope"), unknown.stderr)
    }
}

/// `model install`: a new file under a stored name, the old one kept and used when the new one fails.
final class ModelInstallTests: XCTestCase {
    func testInstallKeepsABackupAndLoadingFallsBackToIt() throws {
        let dir = try Fixtures.scratch(self)
        let store = ModelStore(directory: dir.appendingPathComponent("store"))
        let first = try TinyOnnx.write(TinyOnnx.scaleModel(shape: [2], factor: 2), to: dir, name: "first.onnx")
        let second = try TinyOnnx.write(TinyOnnx.scaleModel(shape: [2], factor: 3), to: dir, name: "second.onnx")
        let a = try store.install(first, as: "scaler")
        XCTAssertNil(a.backup)
        let b = try store.install(second, as: "scaler")
        XCTAssertEqual(b.file, "first.onnx", "the stored file name stays")
        XCTAssertEqual(b.backup, "first.onnx.bak")
        XCTAssertEqual(try store.entries().count, 1)
        let loaded = try store.loadablePath(of: "scaler")
        XCTAssertNil(loaded.fellBackBecause)
        XCTAssertEqual(try InferenceSession(modelPath: loaded.path).run(["x": Tensor(shape: [2], values: [1, 1])])["y"]?.values, [3, 3])
        // The installed file is damaged: loading falls back to the previous one and says why.
        try Data("broken".utf8).write(to: URL(fileURLWithPath: store.path(of: b)))
        let fallback = try store.loadablePath(of: "scaler")
        XCTAssertEqual(fallback.path, store.directory.appendingPathComponent("first.onnx.bak").path)
        XCTAssertTrue(fallback.fellBackBecause?.contains("does not load") ?? false)
        XCTAssertEqual(try InferenceSession(modelPath: fallback.path).run(["x": Tensor(shape: [2], values: [1, 1])])["y"]?.values, [2, 2])
        XCTAssertThrowsError(try store.loadablePath(of: "nothing"))
        // The command line installs too.
        let cli = try Fixtures.run("/usr/bin/env", ["FACEMIRROR_MODELS=\(store.directory.path)", Fixtures.cli(), "model", "install", first, "--as", "scaler"])
        XCTAssertTrue(cli.stdout.contains("previous file kept as first.onnx.bak"), cli.stdout)
    }
}
