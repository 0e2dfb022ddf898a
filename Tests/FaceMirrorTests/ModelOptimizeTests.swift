import FaceMirror
import Foundation
import ModelToolchain
import OrtBinding
import XCTest

/// `facemirror model optimize`: fixed shapes, float16, ORT's offline optimisation, old-vs-new check.
final class ModelOptimizeTests: XCTestCase {
    func testHalfPrecisionBits() {
        XCTAssertEqual(halfBits(1), 0x3C00)
        XCTAssertEqual(halfBits(-2), 0xC000)
        XCTAssertEqual(halfBits(65504), 0x7BFF)
        XCTAssertEqual(halfBits(70000), 0x7C00, "overflow → inf")
        XCTAssertEqual(halfBits(0.1), 0x2E66)
        XCTAssertEqual(halfBits(1e-8), 0, "underflow → 0")
        XCTAssertEqual(halfBits(Float(sign: .plus, exponent: -24, significand: 1)), 0x0001, "smallest subnormal")
        XCTAssertEqual(halfBits(1 + 1.0 / 2048), 0x3C00, "a tie rounds to even")
        XCTAssertEqual(halfBits(1 + 3.0 / 2048), 0x3C02, "a tie rounds to even (up)")
        for v: Float in [0, 1, -1.5, 0.333, 1234.5, 6e-5, -3e-7] {
            XCTAssertEqual(floatFromHalf(halfBits(v)), v, accuracy: max(abs(v) / 1000, 6e-8), "\(v)")
        }
    }

    func testFloat16KeepsFloat32EdgesAndConvertsInnerCasts() throws {
        let dir = try Fixtures.scratch(self)
        // y = Cast(Cast(x·w, to int32)… no: x·w → Cast(to float) → + b; the inner Cast(to=FLOAT) must become FLOAT16.
        let model = try TinyOnnx.graph(nodes: [
            .init(op: "Mul", inputs: ["x", "w"], outputs: ["m"], name: "mul"),
            .init(op: "Cast", inputs: ["m"], outputs: ["c"], name: "cast", int: ["to": 1]),
            .init(op: "Add", inputs: ["c", "b"], outputs: ["y"], name: "add"),
        ], initializers: [("w", [4], [0.5, 2, -1, 3]), ("b", [4], [0.25, 0.25, 0.25, 0.25])],
           inputs: [("x", [1, 4])], outputs: [("y", [1, 4])])
        let input = try TinyOnnx.write(model, to: dir, name: "small.onnx")
        let output = dir.appendingPathComponent("small16.onnx").path
        let report = try ModelOptimizer.optimize(input: input, output: output, fp16: true)
        let session = try InferenceSession(modelPath: output)
        XCTAssertEqual(session.inputs.map(\.elementType), [.float32])
        XCTAssertEqual(session.outputs.map(\.elementType), [.float32])
        let y = try session.run(["x": Tensor(shape: [1, 4], values: [1, 2, 3, 4])])["y"]!.values
        XCTAssertEqual(y, [0.75, 4.25, -2.75, 12.25])
        XCTAssertTrue(report.differences.allSatisfy { $0.maxAbs < 1e-2 }, report.text)
        XCTAssertTrue(report.fp16)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted(), ["small.onnx", "small16.onnx"], "no stage files left")
        XCTAssertThrowsError(try ModelOptimizer.optimize(input: input, output: output, fixShapes: ["x": [2, 4]])) {
            XCTAssertTrue("\($0)".contains("does not fit"), "\($0)")
        }
        XCTAssertThrowsError(try ModelOptimizer.optimize(input: input, output: output, fixShapes: ["nope": [1, 4]]))
    }

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
