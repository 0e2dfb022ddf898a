import FaceMirror
import Foundation
import ModelToolchain
import OrtBinding
import TestSupport
import XCTest

/// `model optimize` on the OpenFace 3.0 replicas: float16 and fixed shapes on the real architectures.
final class ReplicaOptimizeTests: XCTestCase {
    private func replica(_ name: String) throws -> String {
        try Fixtures.requireShared(file: "models/replica/\(name)", "the replicas are not available")
    }

    func testReplicasInFloat16AndWithFixedShapes() throws {
        let star = try replica("star_wflw98_replica.onnx"), mtl = try replica("mtl_effnetb0_replica.onnx")
        let retina = try replica("retinaface_mnet025_replica.onnx")
        let dir = try Fixtures.scratch(self)
        let s16 = try ModelOptimizer.optimize(input: star, output: dir.appendingPathComponent("star16.onnx").path, fp16: true, image: Fixtures.photo)
        print(s16.text)
        XCTAssertEqual(Double(s16.bytesAfter) / Double(s16.bytesBefore), 0.5, accuracy: 0.03, "about half the size")
        let starPhoto = try XCTUnwrap(s16.differences.first { $0.input == "photo" })
        XCTAssertLessThan(starPhoto.maxAbs, 0.1, "STAR fp16 vs fp32 on the golden crop (the reference saw up to 0.045)")
        // The MTL replica's AU head has a Cast to float: converted, the model still loads and agrees.
        let m16 = try ModelOptimizer.optimize(input: mtl, output: dir.appendingPathComponent("mtl16.onnx").path, fp16: true, image: Fixtures.photo)
        print(m16.text)
        for d in m16.differences where d.input == "photo" { XCTAssertLessThan(d.maxAbs, 0.02, d.output) }
        // Fixed shapes: no dynamic dimension left, same outputs.
        let fixed = dir.appendingPathComponent("retina640.onnx").path
        let r = try ModelOptimizer.optimize(input: retina, output: fixed, fixShapes: ["input": [1, 3, 640, 640]], image: Fixtures.photo)
        XCTAssertTrue(r.differences.allSatisfy { $0.maxAbs < 1e-4 }, r.text)
        let session = try InferenceSession(modelPath: fixed)
        XCTAssertFalse(session.inputs.contains { $0.isDynamic })
        XCTAssertFalse(session.outputs.contains { $0.isDynamic })
        XCTAssertEqual(session.outputs.first?.shape, [1, 16800, 4])
        XCTAssertFalse(try ModelAnalysis.analyse(path: fixed, workDirectory: dir).findings.contains { $0.what == "dynamic input shape" })
    }
}

/// `model optimize --int8`: calibrated QDQ quantisation.
final class Int8QuantisationTests: XCTestCase {
    func testConvNetworkStaysCloseToFloat() throws {
        let dir = try Fixtures.scratch(self)
        // Conv(3→8, 3×3) → Relu → Conv(8→4, 1×1) on a picture input named like none of the specs.
        var seed: UInt64 = 7
        func rand(_ n: Int) -> [Float] {
            (0..<n).map { _ in seed = seed &* 6364136223846793005 &+ 1442695040888963407; return Float(seed >> 40) / Float(1 << 24) - 0.5 }
        }
        let model = try TinyOnnx.graph(nodes: [
            .init(op: "Conv", inputs: ["pic", "w1", "b1"], outputs: ["c1"], name: "conv1", ints: ["pads": [1, 1, 1, 1]]),
            .init(op: "Relu", inputs: ["c1"], outputs: ["r1"], name: "relu1"),
            .init(op: "Conv", inputs: ["r1", "w2"], outputs: ["y"], name: "conv2"),
        ], initializers: [("w1", [8, 3, 3, 3], rand(216)), ("b1", [8], rand(8)), ("w2", [4, 8, 1, 1], rand(32))],
           inputs: [("pic", [1, 3, 32, 32])], outputs: [("y", [1, 4, 32, 32])])
        let input = try TinyOnnx.write(model, to: dir, name: "net.onnx")
        let output = dir.appendingPathComponent("net8.onnx").path
        let report = try ModelOptimizer.optimize(input: input, output: output, int8Calibration: (try Fixtures.sample(), 4), image: Fixtures.photo)
        XCTAssertEqual(report.int8CalibrationInputs, 4)
        let photo = try XCTUnwrap(report.differences.first { $0.input == "photo" })
        print(report.text)
        // 8-bit steps: on average well under 1 % of the output range; single values that leave the
        // calibrated range clip further.
        XCTAssertLessThan(photo.meanAbs, 0.01 * photo.maxAbsReference)
        XCTAssertLessThan(photo.maxAbs, 0.15 * photo.maxAbsReference)
        let q = try ONNXFile(path: output)
        XCTAssertTrue(q.model.graph.initializer.contains { $0.dataType == 3 }, "int8 weights")
        XCTAssertGreaterThan(report.bytesBefore, 0)
        XCTAssertThrowsError(try ModelOptimizer.optimize(input: input, output: output, fp16: true, int8Calibration: (try Fixtures.sample(), 2)))
        let cli = try Fixtures.run(Fixtures.cli(), ["model", "optimize", input, output, "--int8"], allowFailure: true)
        XCTAssertNotEqual(cli.status, 0)
        XCTAssertTrue(cli.stderr.contains("--calibration"), cli.stderr)
    }

    func testTrainedRetinaFaceInInt8StillFindsTheFace() throws {
        let model = try Fixtures.requireShared(file: "models/trained/retinaface_mnet025_widerface_op17.onnx", "no trained RetinaFace")
        let dir = try Fixtures.scratch(self)
        let fp32 = dir.appendingPathComponent("rf32.onnx").path, int8 = dir.appendingPathComponent("rf8.onnx").path
        _ = try ModelOptimizer.optimize(input: model, output: fp32, fixShapes: ["input": [1, 3, 720, 1280]])
        _ = try ModelOptimizer.optimize(input: model, output: int8, fixShapes: ["input": [1, 3, 720, 1280]], int8Calibration: (try Fixtures.sample(), 6))
        let a = try RetinaFaceDetector(modelPath: fp32), b = try RetinaFaceDetector(modelPath: int8)
        let frames = try Fixtures.frames(try Fixtures.sample()).frames
        for n in [5, 40] {
            let x = try XCTUnwrap(try a.detect(frames[n].image).first), y = try XCTUnwrap(try b.detect(frames[n].image).first)
            print("int8 RetinaFace frame \(n): IoU with float32 \(x.iou(y))")
            XCTAssertGreaterThan(x.iou(y), 0.9)
        }
    }
}
