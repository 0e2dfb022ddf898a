import FaceMirror
import Foundation
import ModelToolchain
import OrtBinding
import TestSupport
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
        XCTAssertThrowsError(try ModelOptimizer.optimize(input: input, output: output, fixShapes: ["x": [2, 4]], overwrite: true)) {
            XCTAssertTrue("\($0)".contains("does not fit"), "\($0)")
        }
        XCTAssertThrowsError(try ModelOptimizer.optimize(input: input, output: output, fixShapes: ["nope": [1, 4]], overwrite: true))
        // An existing result is replaced only with overwrite; the input and a link never.
        let written = try Data(contentsOf: URL(fileURLWithPath: output)), source = try Data(contentsOf: URL(fileURLWithPath: input))
        XCTAssertThrowsError(try ModelOptimizer.optimize(input: input, output: output, fp16: true)) {
            XCTAssertTrue("\($0)".contains("\(output): ") && "\($0)".contains("exists; --overwrite replaces it"), "\($0)")
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: output)), written)
        _ = try ModelOptimizer.optimize(input: input, output: output, fp16: true, overwrite: true)
        XCTAssertThrowsError(try ModelOptimizer.optimize(input: input, output: input, fp16: true, overwrite: true)) {
            XCTAssertTrue("\($0)".contains("is the input itself"), "\($0)")
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: input)), source)
        let link = dir.appendingPathComponent("link.onnx")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: input)
        XCTAssertThrowsError(try ModelOptimizer.optimize(input: input, output: link.path, fp16: true, overwrite: true)) {
            XCTAssertTrue("\($0)".contains("is not a regular file"), "\($0)")
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: input)), source)
    }

}
