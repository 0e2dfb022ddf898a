import FaceMirrorCore
import FaceModels
import Foundation
import ONNXProto
import SwiftProtobuf

/// An ONNX model file parsed with the generated protobuf types.
public struct ONNXFile {
    public let path: String
    public var model: Onnx_ModelProto

    public init(path: String) throws {
        self.path = path
        let data: Data
        do {
            data = try RegularFile.contents(of: path, limit: RegularFile.modelByteLimit)
        } catch let error as RegularFileError {
            if error.isMissing { throw ModelError.notFound(path: path, hint: "no such file") }
            throw ModelError.invalid(path: path, reason: error.reason)
        }
        do {
            model = try Onnx_ModelProto(serializedBytes: data)
        } catch {
            throw ModelError.invalid(path: path, reason: "not an ONNX model (protobuf: \(error))")
        }
        guard model.hasGraph, !model.graph.node.isEmpty || !model.graph.output.isEmpty else {
            throw ModelError.invalid(path: path, reason: "not an ONNX model (no graph)")
        }
    }

    /// Nil when `path` is an ONNX model with a graph, else why it is not (for the model store's check).
    public static func problem(at path: String) -> String? {
        do {
            _ = try ONNXFile(path: path)
            return nil
        } catch ModelError.invalid(_, let reason) {
            return reason
        } catch {
            return "\(error)"
        }
    }

    public func serialized() throws -> Data { try model.serializedData() }

    public func write(to path: String) throws {
        try serialized().write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Initializers whose bytes live in other files (external data).
    public var externalDataFiles: [String] {
        let names = model.graph.initializer.filter { $0.dataLocation == .external }
            .compactMap { t in t.externalData.first { $0.key == "location" }?.value }
        return Array(Set(names)).sorted()
    }

    /// Graph inputs that are real inputs (older exports also list initializers as inputs).
    public var realInputs: [Onnx_ValueInfoProto] {
        let initialisers = Set(model.graph.initializer.map(\.name))
        return model.graph.input.filter { !initialisers.contains($0.name) }
    }

    /// Dimensions of a value: a number, or the dimension's name (or "?") when dynamic.
    public static func dims(_ v: Onnx_ValueInfoProto) -> [ModelAnalysis.Dim] {
        v.type.tensorType.shape.dim.map { d in
            if case .dimValue(let n)? = d.value { return .fixed(Int(n)) }
            if case .dimParam(let s)? = d.value, !s.isEmpty { return .named(s) }
            return .named("?")
        }
    }

    /// A float32 tensor's values, whether stored as float_data or raw_data.
    public static func floatValues(_ t: Onnx_TensorProto) -> [Float] {
        if !t.floatData.isEmpty { return t.floatData }
        return t.rawData.withUnsafeBytes { raw in (0..<(raw.count / 4)).map { raw.loadUnaligned(fromByteOffset: 4 * $0, as: Float.self) } }
    }

    public static func elementTypeName(_ t: Int32) -> String {
        guard let dt = Onnx_TensorProto.DataType(rawValue: Int(t)) else { return "type\(t)" }
        switch dt {
        case .float: return "float32"
        case .float16: return "float16"
        case .bfloat16: return "bfloat16"
        case .double: return "float64"
        case .int8: return "int8"
        case .uint8: return "uint8"
        case .int16: return "int16"
        case .int32: return "int32"
        case .int64: return "int64"
        case .bool: return "bool"
        case .string: return "string"
        default: return "\(dt)"
        }
    }

    public static func bytesPerElement(_ t: Int32) -> Int {
        switch Onnx_TensorProto.DataType(rawValue: Int(t)) {
        case .double?, .int64?, .uint64?, .complex64?: return 8
        case .float?, .int32?, .uint32?: return 4
        case .float16?, .bfloat16?, .int16?, .uint16?: return 2
        case .complex128?: return 16
        default: return 1
        }
    }
}

extension Onnx_NodeProto {
    func attribute(_ name: String) -> Onnx_AttributeProto? { attribute.first { $0.name == name } }
    func int(_ name: String, default d: Int64 = 0) -> Int64 { attribute(name).map(\.i) ?? d }
    func string(_ name: String) -> String? { attribute(name).map { String(decoding: $0.s, as: UTF8.self) } }
}
