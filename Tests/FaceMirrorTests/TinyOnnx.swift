import Foundation

/// Builds small ONNX models byte by byte (protobuf wire format), so tests can run real ORT on
/// models whose outputs they know. Only the fields these tests need are written.
struct ProtoWriter {
    var bytes: [UInt8] = []

    mutating func varint(_ v: UInt64) {
        var v = v
        while v >= 0x80 { bytes.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
        bytes.append(UInt8(v))
    }
    mutating func key(_ field: Int, _ wire: Int) { varint(UInt64(field << 3 | wire)) }
    mutating func int(_ field: Int, _ v: Int64) { key(field, 0); varint(UInt64(bitPattern: v)) }
    mutating func bytes(_ field: Int, _ b: [UInt8]) { key(field, 2); varint(UInt64(b.count)); bytes += b }
    mutating func string(_ field: Int, _ s: String) { bytes(field, Array(s.utf8)) }
    mutating func message(_ field: Int, _ build: (inout ProtoWriter) -> Void) {
        var w = ProtoWriter()
        build(&w)
        bytes(field, w.bytes)
    }
}

enum TinyOnnx {
    /// A float32 tensor proto (TensorProto: dims 1, data_type 2, name 8, raw_data 9).
    static func tensor(_ w: inout ProtoWriter, name: String, shape: [Int], values: [Float]) {
        for d in shape { w.int(1, Int64(d)) }
        w.int(2, 1)
        if !name.isEmpty { w.string(8, name) }
        var raw: [UInt8] = []
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { raw += $0 } }
        w.bytes(9, raw)
    }

    /// ValueInfoProto for a float32 tensor; negative dims become named dynamic dims.
    static func valueInfo(_ w: inout ProtoWriter, name: String, shape: [Int]) {
        w.string(1, name)
        w.message(2) { type in
            type.message(1) { t in
                t.int(1, 1)
                t.message(2) { s in
                    for (i, d) in shape.enumerated() {
                        s.message(1) { dim in if d >= 0 { dim.int(1, Int64(d)) } else { dim.string(2, "dim\(i)") } }
                    }
                }
            }
        }
    }

    /// A model with one float input (not used) and outputs that are fixed tensors (Constant nodes).
    static func constantModel(input: (name: String, shape: [Int]), outputs: [(name: String, shape: [Int], values: [Float])]) -> Data {
        var model = ProtoWriter()
        model.int(1, 8)  // ir_version
        model.string(2, "facemirror-tests")  // producer_name
        model.message(7) { graph in
            for o in outputs {
                graph.message(1) { node in
                    node.string(2, o.name)
                    node.string(3, "const_\(o.name)")
                    node.string(4, "Constant")
                    node.message(5) { attr in
                        attr.string(1, "value")
                        attr.int(20, 4)  // AttributeType TENSOR
                        attr.message(5) { t in tensor(&t, name: "", shape: o.shape, values: o.values) }
                    }
                }
            }
            graph.string(2, "tiny")
            graph.message(11) { valueInfo(&$0, name: input.name, shape: input.shape) }
            for o in outputs { graph.message(12) { valueInfo(&$0, name: o.name, shape: o.shape) } }
        }
        model.message(8) { op in op.string(1, ""); op.int(2, 17) }
        return Data(model.bytes)
    }

    /// y = x · k (a Mul by a scalar initializer): an input that really flows to the output.
    static func scaleModel(shape: [Int], factor: Float) -> Data {
        var model = ProtoWriter()
        model.int(1, 8)
        model.message(7) { graph in
            graph.message(1) { node in
                node.string(1, "x"); node.string(1, "k"); node.string(2, "y"); node.string(3, "mul"); node.string(4, "Mul")
            }
            graph.string(2, "scale")
            graph.message(5) { tensor(&$0, name: "k", shape: [], values: [factor]) }
            graph.message(11) { valueInfo(&$0, name: "x", shape: shape) }
            graph.message(12) { valueInfo(&$0, name: "y", shape: shape) }
        }
        model.message(8) { op in op.string(1, ""); op.int(2, 17) }
        return Data(model.bytes)
    }

    static func write(_ data: Data, to dir: URL, name: String) throws -> String {
        let url = dir.appendingPathComponent(name)
        try data.write(to: url)
        return url.path
    }
}

extension TinyOnnx {
    struct Node {
        var op: String
        var inputs: [String]
        var outputs: [String]
        var name = ""
        var ints: [String: [Int]] = [:]
        var int: [String: Int] = [:]
        var strings: [String: String] = [:]
        var domain = ""
    }

    /// A general graph: nodes, float initializers, inputs/outputs (negative dims are dynamic).
    static func graph(nodes: [Node], initializers: [(name: String, shape: [Int], values: [Float])],
                      inputs: [(String, [Int])], outputs: [(String, [Int])], opset: Int = 17) -> Data {
        var model = ProtoWriter()
        model.int(1, 8)
        model.string(2, "facemirror-tests")
        model.message(7) { graph in
            for n in nodes {
                graph.message(1) { node in
                    for i in n.inputs { node.string(1, i) }
                    for o in n.outputs { node.string(2, o) }
                    if !n.name.isEmpty { node.string(3, n.name) }
                    node.string(4, n.op)
                    for (k, v) in n.int { node.message(5) { a in a.string(1, k); a.int(20, 2); a.int(3, Int64(v)) } }
                    for (k, v) in n.ints { node.message(5) { a in a.string(1, k); a.int(20, 7); for x in v { a.int(8, Int64(x)) } } }
                    for (k, v) in n.strings { node.message(5) { a in a.string(1, k); a.int(20, 3); a.string(4, v) } }
                    if !n.domain.isEmpty { node.string(7, n.domain) }
                }
            }
            graph.string(2, "g")
            for t in initializers { graph.message(5) { tensor(&$0, name: t.name, shape: t.shape, values: t.values) } }
            for (name, shape) in inputs { graph.message(11) { valueInfo(&$0, name: name, shape: shape) } }
            for (name, shape) in outputs { graph.message(12) { valueInfo(&$0, name: name, shape: shape) } }
        }
        model.message(8) { op in op.string(1, ""); op.int(2, Int64(opset)) }
        return Data(model.bytes)
    }
}
