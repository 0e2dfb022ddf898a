import Foundation
import ModelToolchain
import OrtBinding
import TestSupport
import XCTest

/// `facemirror bench` with a baseline, targets and a pipeline run.
final class BenchCommandTests: XCTestCase {
    func testBaselineTargetsAndPipeline() throws {
        let dir = try Fixtures.scratch(self)
        let model = try TinyOnnx.graph(nodes: [.init(op: "Conv", inputs: ["x", "w"], outputs: ["y"], name: "conv", ints: ["pads": [1, 1, 1, 1]])],
                                   initializers: [("w", [8, 3, 3, 3], [Float](repeating: 0.1, count: 216))],
                                   inputs: [("x", [1, 3, 32, 32])], outputs: [("y", [1, 8, 32, 32])])
        let a = try TinyOnnx.write(model, to: dir, name: "a.onnx")
        let b = try TinyOnnx.write(model, to: dir, name: "b.onnx")
        let (ra, rb) = try ModelBenchmark.compare(modelPath: a, baselinePath: b, options: Fixtures.oneThread, runs: 5, warmup: 1, workDirectory: dir)
        XCTAssertEqual(ra.macs, 8 * 32 * 32 * 27)
        XCTAssertEqual(rb.runs, 5)
        XCTAssertNotNil(ra.gmacsPerSecond)
        let figures = BenchTarget.figures([ra], baselines: [ra.model: rb], pipelineFPS: 12)
        XCTAssertEqual(figures["a.onnx:speedup"] ?? 0, rb.medianMs / ra.medianMs, accuracy: 1e-12)
        XCTAssertEqual(figures["pipeline:fps"], 12)
        let fast = BenchTarget(figure: "a.onnx:median_ms", must: 1000, should: 500, stretch: 0.0001)
        XCTAssertEqual(fast.level(of: ra.medianMs), "should")
        XCTAssertNil(BenchTarget(figure: "pipeline:fps", must: 30, should: nil, stretch: nil).level(of: 12))
        XCTAssertEqual(BenchTarget(figure: "pipeline:fps", must: 10, should: 20, stretch: nil).level(of: 12), "must")

        // The command line: a missed "must" fails; the pipeline gives its FPS.
        let targets = dir.appendingPathComponent("targets.json")
        try Data(#"[{"figure": "a.onnx:median_ms", "must": 0.000001}, {"figure": "pipeline:fps", "must": 0.01}]"#.utf8).write(to: targets)
        let clip = dir.appendingPathComponent("clip.mp4").path
        try Fixtures.ffmpeg(["-i", try Fixtures.sample(), "-frames:v", "5", "-c:v", "libx264", "-an", clip])
        let r = try Fixtures.run(Fixtures.cli(), ["bench", a, "--baseline", b, "--runs", "3", "--ort-threads", "1", "--targets", targets.path, "--video", clip],
                                 allowFailure: true)
        XCTAssertEqual(r.status, 1, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("speed-up"), r.stdout)
        XCTAssertTrue(r.stdout.contains("pipeline FPS"), r.stdout)
        XCTAssertTrue(r.stdout.contains("target a.onnx:median_ms"), r.stdout)
        XCTAssertTrue(r.stdout.contains("FAIL"), r.stdout)
        XCTAssertTrue(r.stdout.contains("target pipeline:fps"), r.stdout)
    }

    /// `bench --models DIR` finds a folder's models under the names `process --models` takes, plain
    /// ones included (it once looked for the exported names only).
    func testModelsFolderWithPlainNames() throws {
        let dir = try Fixtures.scratch(self)
        let folder = dir.appendingPathComponent("models")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, factor) in [("retinaface.onnx", 2), ("star.onnx", 3), ("mtl.onnx", 4)] {
            _ = try TinyOnnx.write(TinyOnnx.scaleModel(shape: [1, 3, 8, 8], factor: Float(factor)), to: folder, name: name)
        }
        let r = try Fixtures.run(Fixtures.cli(), ["bench", "--models", folder.path, "--runs", "2", "--warmup", "0", "--ort-threads", "1", "--json"])
        let out = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let models = (out["models"] as? [[String: Any]] ?? []).compactMap { ($0["model"] as? String).map { URL(fileURLWithPath: $0).lastPathComponent } }
        XCTAssertEqual(models, ["retinaface.onnx", "star.onnx", "mtl.onnx"], r.stdout)
    }
}
