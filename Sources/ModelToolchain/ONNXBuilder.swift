import Foundation
import ONNXProto
import SwiftProtobuf

/// Builds ONNX graph pieces with the schema's Swift types: nodes with their attributes, tensors, graph
/// inputs and outputs, a whole model. The quantiser, the float16 converter, the fidelity check and the
/// tests' own small models all build through it.
public enum ONNXBuilder {
    /// An attribute's value.
    public enum Value {
        case int(Int64)
        case ints([Int64])
        case string(String)
        case tensor(Onnx_TensorProto)
    }

    public static func attribute(_ name: String, _ value: Value) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        switch value {
        case .int(let i): a.type = .int; a.i = i
        case .ints(let v): a.type = .ints; a.ints = v
        case .string(let s): a.type = .string; a.s = Data(s.utf8)
        case .tensor(let t): a.type = .tensor; a.t = t
        }
        return a
    }

    public static func node(_ op: String, _ inputs: [String], _ outputs: [String], _ name: String, domain: String = "",
                            attributes: [Onnx_AttributeProto] = []) -> Onnx_NodeProto {
        var n = Onnx_NodeProto()
        n.opType = op
        n.input = inputs
        n.output = outputs
        n.name = name
        n.domain = domain
        n.attribute = attributes
        return n
    }

    public static let float = Int32(Onnx_TensorProto.DataType.float.rawValue)

    /// A tensor whose values are its raw little-endian bytes.
    public static func rawTensor(_ name: String, dims: [Int64], type: Int32, data: Data) -> Onnx_TensorProto {
        var t = Onnx_TensorProto()
        t.name = name
        t.dims = dims
        t.dataType = type
        t.rawData = data
        return t
    }

    public static func floatTensor(_ name: String, dims: [Int64], values: [Float]) -> Onnx_TensorProto {
        var raw = Data(capacity: 4 * values.count)
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { raw.append(contentsOf: $0) } }
        return rawTensor(name, dims: dims, type: float, data: raw)
    }

    /// A float32 graph input or output; a negative dimension becomes a named free one.
    public static func valueInfo(_ name: String, shape: [Int]) -> Onnx_ValueInfoProto {
        var v = Onnx_ValueInfoProto()
        v.name = name
        v.type.tensorType.elemType = float
        v.type.tensorType.shape.dim = shape.enumerated().map { i, d in
            var dim = Onnx_TensorShapeProto.Dimension()
            if d >= 0 { dim.dimValue = Int64(d) } else { dim.dimParam = "dim\(i)" }
            return dim
        }
        return v
    }

    /// A model's serialized bytes: IR version 8, the default domain at `opset`.
    public static func model(_ graph: Onnx_GraphProto, opset: Int, producer: String) throws -> Data {
        var m = Onnx_ModelProto()
        m.irVersion = 8
        m.producerName = producer
        m.graph = graph
        var op = Onnx_OperatorSetIdProto()
        op.domain = ""
        op.version = Int64(opset)
        m.opsetImport = [op]
        return try m.serializedData()
    }
}
