import Foundation
import ModelToolchain
import OrtBinding
import TestSupport
import XCTest

/// `facemirror model analyze`: op counts, parameters, MACs and per-target findings.
final class ModelAnalysisTests: XCTestCase {
    func testMACsOfKnownLayers() throws {
        let dir = try Fixtures.scratch(self)
        // Conv 3→4, 3×3, pad 1 on 8×8: 4·8·8 outputs × 27 = 6912. Depthwise conv (group 4) 3×3: 256 × 9 = 2304.
        // Flatten → Gemm 256→10: 2560. MatMul [1,10]·[10,5]: 50.
        let model = try TinyOnnx.graph(nodes: [
            .init(op: "Conv", inputs: ["x", "w1"], outputs: ["c1"], name: "conv", ints: ["pads": [1, 1, 1, 1]]),
            .init(op: "Conv", inputs: ["c1", "w2"], outputs: ["c2"], name: "dw", ints: ["pads": [1, 1, 1, 1]], int: ["group": 4]),
            .init(op: "Relu", inputs: ["c2"], outputs: ["r"], name: "relu"),
            .init(op: "Flatten", inputs: ["r"], outputs: ["f"], name: "flat"),
            .init(op: "Gemm", inputs: ["f", "w3"], outputs: ["g"], name: "fc", int: ["transB": 1]),
            .init(op: "MatMul", inputs: ["g", "w4"], outputs: ["y"]),
        ], initializers: [
            ("w1", [4, 3, 3, 3], [Float](repeating: 0.1, count: 108)),
            ("w2", [4, 1, 3, 3], [Float](repeating: 0.1, count: 36)),
            ("w3", [10, 256], [Float](repeating: 0.01, count: 2560)),
            ("w4", [10, 5], [Float](repeating: 1, count: 50)),
        ], inputs: [("x", [1, 3, -1, -1])], outputs: [("y", [1, 5])])
        let path = try TinyOnnx.write(model, to: dir, name: "layers.onnx")
        let a = try ModelAnalysis.analyse(path: path, inputShapes: ["x": [1, 3, 8, 8]], workDirectory: dir)
        XCTAssertNil(a.macs.unavailable)
        XCTAssertEqual(a.macs.perOp, ["Conv": 6912 + 2304, "Gemm": 2560, "MatMul": 50])
        XCTAssertEqual(a.macs.notCounted, ["Relu": 1, "Flatten": 1])
        XCTAssertEqual(a.nodeCount, 6)
        XCTAssertEqual(a.parameterElements, 108 + 36 + 2560 + 50)
        XCTAssertEqual(a.parameters.first?.bytes, 4 * (108 + 36 + 2560 + 50))
        XCTAssertEqual(a.inputs.first?.shape.map(\.description), ["1", "3", "dim2", "dim3"])
        XCTAssertTrue(a.text.contains("not counted: Flatten (1), Relu (1)"))
        // No temporary files are left behind.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["layers.onnx"])
    }

    func testCoverageOnCPUAndAnAbsentProvider() throws {
        let dir = try Fixtures.scratch(self)
        let model = try TinyOnnx.graph(nodes: [
            .init(op: "Conv", inputs: ["x", "w"], outputs: ["c"], name: "conv"),
            .init(op: "Relu", inputs: ["c"], outputs: ["r"], name: "relu"),
            .init(op: "Sigmoid", inputs: ["r"], outputs: ["y"], name: "sig"),
        ], initializers: [("w", [2, 1, 1, 1], [1, -1])], inputs: [("x", [1, 1, 4, 4])], outputs: [("y", [1, 2, 4, 4])])
        let path = try TinyOnnx.write(model, to: dir, name: "cov.onnx")
        let c = try ProviderCoverage.measure(modelPath: path, options: SessionOptions(), workDirectory: dir)
        XCTAssertGreaterThan(c.nodes, 0)
        XCTAssertEqual(c.perProvider.keys.sorted(), ["CPUExecutionProvider"])
        XCTAssertEqual(c.partitions.count, 1)
        XCTAssertEqual(c.requestedShare, 100)
        var coreML = SessionOptions()
        coreML.provider = .coreml
        XCTAssertThrowsError(try ProviderCoverage.measure(modelPath: path, options: coreML, workDirectory: dir)) { e in
            XCTAssertTrue("\(e)".contains("CoreML: not in this ONNX Runtime build"), "\(e)")
            XCTAssertTrue("\(e)".contains("CPUExecutionProvider"), "\(e)")
        }
    }

    func testCoreMLHostileLayersAreFlaggedByName() throws {
        let dir = try Fixtures.scratch(self)
        let model = try TinyOnnx.graph(nodes: [
            .init(op: "LayerNormalization", inputs: ["x", "scale", "bias"], outputs: ["ln"], name: "encoder/ln", int: ["axis": -1]),
            .init(op: "Gelu", inputs: ["ln"], outputs: ["ge"], name: "encoder/gelu"),
            .init(op: "Sigmoid", inputs: ["ge"], outputs: ["s"], name: "act/sigmoid"),
            .init(op: "Mul", inputs: ["ge", "s"], outputs: ["y"], name: "act/silu"),
        ], initializers: [("scale", [16], [Float](repeating: 1, count: 16)), ("bias", [16], [Float](repeating: 0, count: 16))],
           inputs: [("x", [-1, 16])], outputs: [("y", [-1, 16])], opset: 20)
        let path = try TinyOnnx.write(model, to: dir, name: "hostile.onnx")
        let a = try ModelAnalysis.analyse(path: path, workDirectory: dir)
        let coreml = Dictionary(uniqueKeysWithValues: a.findings.filter { $0.target == .coreml }.map { ($0.what, $0.nodes) })
        XCTAssertEqual(coreml["LayerNormalization"], ["encoder/ln"])
        XCTAssertEqual(coreml["Gelu"], ["encoder/gelu"])
        XCTAssertEqual(coreml["SiLU/Swish (x·sigmoid(x))"], ["act/silu"])
        XCTAssertEqual(coreml["dynamic input shape"], ["x"])
        XCTAssertFalse(a.findings.contains { $0.target == .cpu })
        XCTAssertEqual(a.macs.total, 0)
        XCTAssertNil(a.macs.unavailable, "the model ran in ONNX Runtime: \(a.macs.unavailable ?? "")")
        XCTAssertThrowsError(try ModelAnalysis.analyse(path: try TinyOnnx.write(Data("junk".utf8), to: dir, name: "junk.onnx"), workDirectory: dir)) {
            XCTAssertTrue("\($0)".contains("not an ONNX model"), "\($0)")
        }
    }

}
