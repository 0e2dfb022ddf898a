import Foundation
import ONNXProto
import SwiftProtobuf

/// Small ONNX models built with the ONNX schema's Swift types, so tests can run real ORT on models
/// whose outputs they know.
public enum TinyOnnx {
    /// A float32 tensor with its values as raw little-endian bytes.
    public static func tensor(name: String, shape: [Int], values: [Float]) -> Onnx_TensorProto {
        var t = Onnx_TensorProto()
        t.dims = shape.map(Int64.init)
        t.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        t.name = name
        var raw = Data(capacity: 4 * values.count)
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { raw.append(contentsOf: $0) } }
        t.rawData = raw
        return t
    }

    /// A float32 graph input or output; negative dims become named dynamic dims.
    public static func valueInfo(name: String, shape: [Int]) -> Onnx_ValueInfoProto {
        var v = Onnx_ValueInfoProto()
        v.name = name
        v.type.tensorType.elemType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        v.type.tensorType.shape.dim = shape.enumerated().map { i, d in
            var dim = Onnx_TensorShapeProto.Dimension()
            if d >= 0 { dim.dimValue = Int64(d) } else { dim.dimParam = "dim\(i)" }
            return dim
        }
        return v
    }

    public static func attribute(_ name: String, _ type: Onnx_AttributeProto.AttributeType, _ fill: (inout Onnx_AttributeProto) -> Void) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = type
        fill(&a)
        return a
    }

    /// The model's serialized bytes: IR version 8, the default domain at `opset`.
    public static func model(_ graph: Onnx_GraphProto, opset: Int = 17) throws -> Data {
        var m = Onnx_ModelProto()
        m.irVersion = 8
        m.producerName = "facemirror-tests"
        m.graph = graph
        var op = Onnx_OperatorSetIdProto()
        op.domain = ""
        op.version = Int64(opset)
        m.opsetImport = [op]
        return try m.serializedData()
    }

    /// A model with one float input (not used) and outputs that are fixed tensors (Constant nodes).
    public static func constantModel(input: (name: String, shape: [Int]), outputs: [(name: String, shape: [Int], values: [Float])]) throws -> Data {
        var g = Onnx_GraphProto()
        g.name = "tiny"
        g.node = outputs.map { o in
            var n = Onnx_NodeProto()
            n.output = [o.name]
            n.name = "const_\(o.name)"
            n.opType = "Constant"
            n.attribute = [attribute("value", .tensor) { $0.t = tensor(name: "", shape: o.shape, values: o.values) }]
            return n
        }
        g.input = [valueInfo(name: input.name, shape: input.shape)]
        g.output = outputs.map { valueInfo(name: $0.name, shape: $0.shape) }
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
            var node = Onnx_NodeProto()
            node.input = n.inputs
            node.output = n.outputs
            node.name = n.name
            node.opType = n.op
            node.domain = n.domain
            node.attribute = n.int.sorted { $0.key < $1.key }.map { k, v in attribute(k, .int) { $0.i = Int64(v) } }
                + n.ints.sorted { $0.key < $1.key }.map { k, v in attribute(k, .ints) { $0.ints = v.map(Int64.init) } }
                + n.strings.sorted { $0.key < $1.key }.map { k, v in attribute(k, .string) { $0.s = Data(v.utf8) } }
            return node
        }
        g.initializer = initializers.map { tensor(name: $0.name, shape: $0.shape, values: $0.values) }
        g.input = inputs.map { valueInfo(name: $0.0, shape: $0.1) }
        g.output = outputs.map { valueInfo(name: $0.0, shape: $0.1) }
        return try model(g, opset: opset)
    }
}
