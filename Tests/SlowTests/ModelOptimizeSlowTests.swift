import FaceMirrorCore
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

    /// A pre-activation residual block like STAR's: every compute node must become an integer kernel
    /// in ONNX Runtime (no float Conv, Add, Concat or BatchNormalization left), and each layer alone
    /// must stay within cosine 0.99 of float32.
    func testWholeBlockRunsOnIntegers() throws {
        let dir = try Fixtures.scratch(self)
        var seed: UInt64 = 11
        func rand(_ n: Int, _ lo: Float = -0.5, _ hi: Float = 0.5) -> [Float] {
            (0..<n).map { _ in seed = seed &* 6364136223846793005 &+ 1442695040888963407; return lo + (hi - lo) * Float(seed >> 40) / Float(1 << 24) }
        }
        let model = try TinyOnnx.graph(nodes: [
            .init(op: "Conv", inputs: ["pic", "w1", "b1"], outputs: ["c1"], name: "conv1", ints: ["pads": [1, 1, 1, 1]]),
            .init(op: "Relu", inputs: ["c1"], outputs: ["r1"], name: "relu1"),
            .init(op: "MaxPool", inputs: ["r1"], outputs: ["p"], name: "pool", ints: ["kernel_shape": [2, 2], "strides": [2, 2]]),
            .init(op: "BatchNormalization", inputs: ["p", "bn_g", "bn_b", "bn_m", "bn_v"], outputs: ["n1"], name: "bn"),
            .init(op: "Relu", inputs: ["n1"], outputs: ["r2"], name: "relu2"),
            .init(op: "Conv", inputs: ["r2", "w2", "b2"], outputs: ["c2"], name: "conv2", ints: ["pads": [1, 1, 1, 1]]),
            .init(op: "Add", inputs: ["c2", "p"], outputs: ["a"], name: "residual"),
            .init(op: "Resize", inputs: ["a", "", "scales"], outputs: ["u"], name: "up", strings: ["mode": "nearest"]),
            .init(op: "Concat", inputs: ["u", "r1"], outputs: ["k"], name: "join", int: ["axis": 1]),
            .init(op: "Conv", inputs: ["k", "w3"], outputs: ["c3"], name: "conv3"),
            .init(op: "Sigmoid", inputs: ["c3"], outputs: ["y"], name: "head"),
        ], initializers: [("w1", [16, 3, 3, 3], rand(432)), ("b1", [16], rand(16)), ("bn_g", [16], rand(16, 0.5, 1.5)), ("bn_b", [16], rand(16)),
                          ("bn_m", [16], rand(16, 0, 0.5)), ("bn_v", [16], rand(16, 0.5, 1.5)), ("w2", [16, 16, 3, 3], rand(2304, -0.2, 0.2)),
                          ("b2", [16], rand(16)), ("scales", [4], [1, 1, 2, 2]), ("w3", [4, 32, 1, 1], rand(128))],
           inputs: [("pic", [1, 3, 32, 32])], outputs: [("y", [1, 4, 32, 32])])
        let input = try TinyOnnx.write(model, to: dir, name: "block.onnx")
        let output = dir.appendingPathComponent("block8.onnx").path
        let report = try ModelOptimizer.optimize(input: input, output: output, int8Calibration: (try Fixtures.sample(), 4), image: Fixtures.photo)
        print(report.text)
        let layers = try XCTUnwrap(report.layers)
        XCTAssertEqual(layers.map(\.op), ["Conv+Relu", "Conv+Relu", "Conv", "Add", "Concat", "Conv"], "conv1, the BatchNormalization as a depthwise conv, conv2, residual, join, conv3")
        for l in layers {
            XCTAssertGreaterThanOrEqual(l.cosineAlone, 0.99, l.tensor)
            XCTAssertGreaterThanOrEqual(l.cosineInNetwork, 0.98, l.tensor)
            XCTAssertGreaterThan(l.sqnrAloneDB, 20, l.tensor)
        }
        XCTAssertEqual(report.fidelityInputs, 4)
        // What ONNX Runtime makes of it.
        var options = SessionOptions()
        options.optimizedModelPath = dir.appendingPathComponent("block8.ort.onnx").path
        _ = try InferenceSession(modelPath: output, options: options)
        let ops = try ONNXFile(path: options.optimizedModelPath!).model.graph.node.map(\.opType)
        print("ONNX Runtime runs:", ops)
        XCTAssertEqual(ops.filter { $0 == "QLinearConv" }.count, 4)
        XCTAssertEqual(ops.filter { $0 == "QLinearAdd" }.count, 1)
        XCTAssertEqual(ops.filter { $0 == "QLinearConcat" }.count, 1)
        for float in ["Conv", "Add", "Concat", "BatchNormalization", "Relu"] { XCTAssertFalse(ops.contains(float), "\(float) left in float") }
        // The per-layer table.
        let csv = dir.appendingPathComponent("layers.csv").path
        let cli = try Fixtures.run(Fixtures.cli(), ["model", "optimize", input, output, "--int8", "--calibration", try Fixtures.sample(),
                                                    "--calibration-frames", "2", "--layer-report", csv, "--overwrite"])
        XCTAssertTrue(cli.stdout.contains("cosine ≥ 0.99 in 6 of 6"), cli.stdout)
        let table = try CSVTable(path: csv)
        XCTAssertEqual(table.rows.count, 6)
        XCTAssertEqual(table.header, ["node", "op", "tensor", "cosine_alone", "sqnr_alone_db", "cosine_in_network", "sqnr_in_network_db"])
        let bad = try Fixtures.run(Fixtures.cli(), ["model", "optimize", input, output, "--layer-report", csv], allowFailure: true)
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("--layer-report needs --int8"), bad.stderr)
    }

    /// STAR (replica): every convolution an integer kernel, every layer alone within cosine 0.99.
    func testSTARQuantisesLayerByLayerWithinTolerance() throws {
        let model = try Fixtures.requireShared(file: "models/replica/star_wflw98_replica.onnx", "no STAR replica")
        let dir = try Fixtures.scratch(self)
        let output = dir.appendingPathComponent("star8.onnx").path
        let report = try ModelOptimizer.optimize(input: model, output: output, int8Calibration: (try Fixtures.sample(), 2), image: Fixtures.photo)
        print(report.text)
        let layers = try XCTUnwrap(report.layers)
        XCTAssertGreaterThan(layers.count, 300)
        XCTAssertEqual(layers.filter { $0.cosineAlone < 0.99 }.map(\.tensor), [])
        var options = SessionOptions()
        options.optimizedModelPath = dir.appendingPathComponent("star8.ort.onnx").path
        _ = try InferenceSession(modelPath: output, options: options)
        let ops = try ONNXFile(path: options.optimizedModelPath!).model.graph.node.map(\.opType)
        XCTAssertFalse(ops.contains("Conv") || ops.contains("FusedConv"), "a convolution left in float")
        XCTAssertFalse(ops.contains("BatchNormalization"))
        XCTAssertGreaterThan(ops.filter { $0 == "QLinearConv" }.count, 250)
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
