import Foundation
import ModelToolchain
import ONNXProto
import SwiftProtobuf

/// Small ONNX models built with the ONNX schema's Swift types, so tests can run real ORT on models
/// whose outputs they know.
public enum TinyOnnx {
    /// A float32 tensor with its values as raw little-endian bytes.
    public static func tensor(name: String, shape: [Int], values: [Float]) -> Onnx_TensorProto {
        ONNXBuilder.floatTensor(name, dims: shape.map(Int64.init), values: values)
    }

    /// The model's serialized bytes: IR version 8, the default domain at `opset`.
    public static func model(_ graph: Onnx_GraphProto, opset: Int = 17) throws -> Data {
        try ONNXBuilder.model(graph, opset: opset, producer: "facemirror-tests")
    }

    /// A model with one float input (not used) and outputs that are fixed tensors (Constant nodes).
    public static func constantModel(input: (name: String, shape: [Int]), outputs: [(name: String, shape: [Int], values: [Float])]) throws -> Data {
        var g = Onnx_GraphProto()
        g.name = "tiny"
        g.node = outputs.map { o in
            ONNXBuilder.node("Constant", [], [o.name], "const_\(o.name)",
                             attributes: [ONNXBuilder.attribute("value", .tensor(tensor(name: "", shape: o.shape, values: o.values)))])
        }
        g.input = [ONNXBuilder.valueInfo(input.name, shape: input.shape)]
        g.output = outputs.map { ONNXBuilder.valueInfo($0.name, shape: $0.shape) }
        return try model(g)
    }

    /// y = x · k (a Mul by a scalar initializer): an input that really flows to the output.
    public static func scaleModel(shape: [Int], factor: Float) throws -> Data {
        try graph(nodes: [Node(op: "Mul", inputs: ["x", "k"], outputs: ["y"], name: "mul")],
                  initializers: [("k", [], [factor])], inputs: [("x", shape)], outputs: [("y", shape)])
    }

    public static func write(_ data: Data, to dir: URL, name: String) throws -> String {
        let url = dir.appendingPathComponent(name)
        try data.write(to: url)
        return url.path
    }

    public struct Node {
        public var op: String
        public var inputs: [String]
        public var outputs: [String]
        public var name: String
        public var ints: [String: [Int]]
        public var int: [String: Int]
        public var strings: [String: String]
        public var domain: String

        public init(op: String, inputs: [String], outputs: [String], name: String = "", ints: [String: [Int]] = [:],
                    int: [String: Int] = [:], strings: [String: String] = [:], domain: String = "") {
            self.op = op; self.inputs = inputs; self.outputs = outputs; self.name = name
            self.ints = ints; self.int = int; self.strings = strings; self.domain = domain
        }
    }

    /// A general graph: nodes, float initializers, inputs/outputs (negative dims are dynamic).
    public static func graph(nodes: [Node], initializers: [(name: String, shape: [Int], values: [Float])],
                      inputs: [(String, [Int])], outputs: [(String, [Int])], opset: Int = 17) throws -> Data {
        var g = Onnx_GraphProto()
        g.name = "g"
        g.node = nodes.map { n in
            ONNXBuilder.node(n.op, n.inputs, n.outputs, n.name, domain: n.domain,
                             attributes: n.int.sorted { $0.key < $1.key }.map { ONNXBuilder.attribute($0.key, .int(Int64($0.value))) }
                                 + n.ints.sorted { $0.key < $1.key }.map { ONNXBuilder.attribute($0.key, .ints($0.value.map(Int64.init))) }
                                 + n.strings.sorted { $0.key < $1.key }.map { ONNXBuilder.attribute($0.key, .string($0.value)) })
        }
        g.initializer = initializers.map { tensor(name: $0.name, shape: $0.shape, values: $0.values) }
        g.input = inputs.map { ONNXBuilder.valueInfo($0.0, shape: $0.1) }
        g.output = outputs.map { ONNXBuilder.valueInfo($0.0, shape: $0.1) }
        return try model(g, opset: opset)
    }
}
