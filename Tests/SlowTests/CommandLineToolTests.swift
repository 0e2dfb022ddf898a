import FaceMirror
import FaceMirrorCore
import FileDigest
import Foundation
import ModelStore
import TestSupport
import XCTest

/// The `validate` and `model` commands as a user runs them: exit statuses and what they print. The
/// library behind each is tested in the fast group; these start the command (most of a second each).
final class CommandLineToolTests: XCTestCase {
    func testValidateExitStatusNamesTheFrameAndTakesATolerance() throws {
        let dir = try Fixtures.scratch(self)
        let a = try Fixtures.landmarkCSV(dir, "a.csv", frames: 12)
        let b = try Fixtures.landmarkCSV(dir, "b.csv", frames: 12)
        let c = try Fixtures.landmarkCSV(dir, "c.csv", frames: 12, move: (7, 30, 3))
        let ok = try Fixtures.run(Fixtures.cli(), ["validate", a, b])
        XCTAssertTrue(ok.stdout.contains("PASS"))
        let bad = try Fixtures.run(Fixtures.cli(), ["validate", a, c], allowFailure: true)
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stdout.contains("frame 7: landmark 30 moved 3.00 px"), bad.stdout)
        let loose = try Fixtures.run(Fixtures.cli(), ["validate", a, c, "--landmark-tol", "3.5"])
        XCTAssertTrue(loose.stdout.contains("PASS"))
    }

    func testValidateCannotCompareAFrameColumnThatIsNotWholeNumbers() throws {
        let dir = try Fixtures.scratch(self)
        let a = try Fixtures.landmarkCSV(dir, "a.csv", frames: 4)
        var lines = try String(contentsOfFile: a, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        lines[3] = (["2.5"] + lines[3].split(separator: ",", omittingEmptySubsequences: false).dropFirst()).joined(separator: ",")[...]
        let path = dir.appendingPathComponent("half.csv").path
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let cli = try Fixtures.run(Fixtures.cli(), ["validate", a, path], allowFailure: true)
        XCTAssertEqual(cli.status, 2, "cannot compare: \(cli.stderr)")
        XCTAssertEqual(cli.stderr, "facemirror: error: \(path): row 4: frame \"2.5\" is not a whole number\n")
    }

    func testCoverageAndAnalyzeOnTheCommandLine() throws {
        let dir = try Fixtures.scratch(self)
        let path = try TinyOnnx.write(TinyOnnx.scaleModel(shape: [1, 1, 4, 4], factor: 2), to: dir, name: "cov.onnx")
        let cli = try Fixtures.run(Fixtures.cli(), ["model", "coverage", path, "--provider", "TensorRT"], allowFailure: true)
        XCTAssertEqual(cli.status, 1)
        XCTAssertTrue(cli.stderr.contains("facemirror: error: execution provider TensorRT: not in this ONNX Runtime build"), cli.stderr)
        // A shape that is not one is refused before anything runs (ArgumentParser's usage error, status 64).
        let garbage = try Fixtures.run(Fixtures.cli(), ["model", "coverage", path, "--shape", "garbage"], allowFailure: true)
        XCTAssertEqual(garbage.status, 64, garbage.stdout + garbage.stderr)
        XCTAssertTrue(garbage.stderr.contains("--shape"), garbage.stderr)
        let unknown = try Fixtures.run(Fixtures.cli(), ["model", "coverage", path, "--provider", "NoSuchThing"], allowFailure: true)
        XCTAssertEqual(unknown.status, 64, unknown.stderr)
        let hostile = try TinyOnnx.write(TinyOnnx.graph(nodes: [
            .init(op: "LayerNormalization", inputs: ["x", "scale", "bias"], outputs: ["y"], name: "encoder/ln", int: ["axis": -1]),
        ], initializers: [("scale", [16], [Float](repeating: 1, count: 16)), ("bias", [16], [Float](repeating: 0, count: 16))],
           inputs: [("x", [-1, 16])], outputs: [("y", [-1, 16])], opset: 20), to: dir, name: "hostile.onnx")
        let analyzed = try Fixtures.run(Fixtures.cli(), ["model", "analyze", hostile])
        XCTAssertTrue(analyzed.stdout.contains("LayerNormalization: not in the CoreML EP's operator list"), analyzed.stdout)
    }

    func testListImportAndInstallSeeTheStoreOfFACEMIRROR_MODELS() throws {
        let dir = try Fixtures.scratch(self)
        let store = ModelStore(directory: dir.appendingPathComponent("store"))
        _ = try store.importFile(try TinyOnnx.write(TinyOnnx.scaleModel(shape: [2], factor: 2), to: dir, name: "tiny.onnx"), licence: "MIT")
        let env = ["FACEMIRROR_MODELS=\(store.directory.path)"]
        let cli = try Fixtures.run("/usr/bin/env", env + [Fixtures.cli(), "model", "list"])
        XCTAssertTrue(cli.stdout.contains("tiny  tiny.onnx"), cli.stdout)
        XCTAssertTrue(cli.stdout.contains("retinaface-mnet025-widerface"), "the catalogue is listed")
        // OpenFace 3.0's weights converted to ONNX carry OpenFace's licence note.
        let star = try TinyOnnx.write(TinyOnnx.scaleModel(shape: [2], factor: 3), to: dir, name: "star.onnx")
        let imported = try Fixtures.run("/usr/bin/env", env + [Fixtures.cli(), "model", "import", star, "--openface3"])
        XCTAssertTrue(imported.stdout.contains("CMU-MultiComp-Lab/OpenFace-3.0"), imported.stdout)
        XCTAssertEqual(try store.entries().first { $0.name == "star" }?.licence, ModelCatalog.openFace3Licence)
        // Installing over a stored name keeps the previous file.
        let first = try TinyOnnx.write(TinyOnnx.scaleModel(shape: [2], factor: 4), to: dir, name: "first.onnx")
        let second = try TinyOnnx.write(TinyOnnx.scaleModel(shape: [2], factor: 5), to: dir, name: "second.onnx")
        _ = try Fixtures.run("/usr/bin/env", env + [Fixtures.cli(), "model", "install", first, "--as", "landmarker"])
        let again = try Fixtures.run("/usr/bin/env", env + [Fixtures.cli(), "model", "install", second, "--as", "landmarker"])
        XCTAssertTrue(again.stdout.contains("previous file kept as first.onnx.bak"), again.stdout)
    }

    func testFetchFromTheCommandLine() throws {
        let dir = try Fixtures.scratch(self)
        let served = dir.appendingPathComponent("served")
        try FileManager.default.createDirectory(at: served, withIntermediateDirectories: true)
        let model = try TinyOnnx.write(TinyOnnx.scaleModel(shape: [2], factor: 5), to: served, name: "five.onnx")
        let (base, _) = try Fixtures.rangeServer(serving: served, for: self)
        let catalog = dir.appendingPathComponent("catalog.json")
        let entry = ModelEntry(name: "five", file: "five.onnx", sha256: try FileDigest.sha256(ofFile: model), source: "\(base)/five.onnx", licence: "test")
        try JSONEncoder().encode([entry]).write(to: catalog)
        let env = ["FACEMIRROR_MODELS=\(dir.appendingPathComponent("store").path)", "FACEMIRROR_MODEL_CATALOG=\(catalog.path)"]
        let r = try Fixtures.run("/usr/bin/env", env + [Fixtures.cli(), "model", "fetch", "five"])
        XCTAssertTrue(r.stdout.contains("fetched five"), r.stdout + r.stderr)
        let unknown = try Fixtures.run("/usr/bin/env", env + [Fixtures.cli(), "model", "fetch", "nope"], allowFailure: true)
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.stderr.contains("unknown model nope"), unknown.stderr)
    }
}
