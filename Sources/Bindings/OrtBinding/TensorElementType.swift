import COnnxRuntime

/// The element type of a model input or output, as ONNX defines them (the ones facemirror meets by name).
public enum TensorElementType: Sendable, Equatable, CustomStringConvertible {
    case float32, float16, float64, uint8, int8, int32, int64, bool, string
    /// A tensor type facemirror does not name (ONNX's numeric code), or a value that is not a tensor (nil).
    case other(Int32?)

    init(_ t: ONNXTensorElementDataType) {
        switch t {
        case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT: self = .float32
        case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16: self = .float16
        case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE: self = .float64
        case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8: self = .uint8
        case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8: self = .int8
        case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32: self = .int32
        case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64: self = .int64
        case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL: self = .bool
        case ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING: self = .string
        default: self = .other(Int32(t.rawValue))
        }
    }

    public var description: String {
        switch self {
        case .float32: return "float32"
        case .float16: return "float16"
        case .float64: return "float64"
        case .uint8: return "uint8"
        case .int8: return "int8"
        case .int32: return "int32"
        case .int64: return "int64"
        case .bool: return "bool"
        case .string: return "string"
        case .other(let code?): return "type \(code)"
        case .other(nil): return "non-tensor"
        }
    }
}
