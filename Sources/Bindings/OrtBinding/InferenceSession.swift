import COnnxRuntime
import Foundation

/// How a session runs.
public struct SessionOptions: Sendable, Equatable {
    public enum Optimization: String, Sendable, CaseIterable {
        case disabled, basic, extended, all
        var ort: GraphOptimizationLevel {
            switch self {
            case .disabled: return ORT_DISABLE_ALL
            case .basic: return ORT_ENABLE_BASIC
            case .extended: return ORT_ENABLE_EXTENDED
            case .all: return ORT_ENABLE_ALL
            }
        }
    }

    /// Threads inside one operator (0 = ORT decides: one per core).
    public var intraOpThreads = 0
    public var optimization = Optimization.all
    /// Where the model runs; providers other than the CPU must be in the loaded ORT build.
    public var provider = ExecutionProvider.cpu
    /// The provider's options, handed to ONNX Runtime as given (e.g. CoreML's `ModelFormat=MLProgram`,
    /// CUDA's `device_id=1`).
    public var providerOptions: [ProviderOption] = []
    /// Idle pool threads spin-wait for work by default. With several sessions on few cores the
    /// spinning steals the cores the next session needs (≈25 % lost on 2 cores), so it is off here.
    public var allowSpinning = false
    /// Writes ORT's profiling JSON with this file-name prefix.
    public var profilingPrefix: String?
    /// Saves the graph after ORT's optimisations to this file.
    public var optimizedModelPath: String?

    public init() {}
}

/// One loaded model in ONNX Runtime.
public final class InferenceSession: @unchecked Sendable {
    public let modelPath: String
    public let inputs: [TensorInfo]
    public let outputs: [TensorInfo]
    public let options: SessionOptions
    private let runtime: OrtRuntime
    private let session: OpaquePointer

    public init(modelPath: String, options: SessionOptions = SessionOptions()) throws {
        self.modelPath = modelPath
        self.options = options
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: modelPath, isDirectory: &isDir), !isDir.boolValue else {
            throw OrtError.modelNotFound(path: modelPath)
        }
        let runtime = try OrtRuntime.shared()
        self.runtime = runtime
        let api = runtime.api
        var opts: OpaquePointer?
        try check(api, api.pointee.CreateSessionOptions(&opts), "session options")
        defer { api.pointee.ReleaseSessionOptions(opts) }
        try check(api, api.pointee.SetIntraOpNumThreads(opts, Int32(options.intraOpThreads)), "intra-op threads")
        try check(api, api.pointee.SetInterOpNumThreads(opts, 1), "inter-op threads")
        try check(api, api.pointee.SetSessionGraphOptimizationLevel(opts, options.optimization.ort), "graph optimisation level")
        try check(api, api.pointee.AddSessionConfigEntry(opts, "session.intra_op.allow_spinning", options.allowSpinning ? "1" : "0"),
                  "thread spinning")
        if let prefix = options.profilingPrefix {
            try check(api, api.pointee.EnableProfiling(opts, prefix), "profiling")
        }
        if let out = options.optimizedModelPath {
            try check(api, api.pointee.SetOptimizedModelFilePath(opts, out), "optimised model path")
        }
        try InferenceSession.appendProvider(options.provider, options: options.providerOptions, to: opts, runtime: runtime)

        var s: OpaquePointer?
        try check(api, api.pointee.CreateSession(runtime.env, modelPath, opts, &s), "\(modelPath): cannot load the model")
        session = s!
        do {
            inputs = try InferenceSession.describe(runtime: runtime, session: s!, inputs: true)
            outputs = try InferenceSession.describe(runtime: runtime, session: s!, inputs: false)
        } catch {
            api.pointee.ReleaseSession(s)
            throw error
        }
    }

    deinit { runtime.api.pointee.ReleaseSession(session) }

    private static func appendProvider(_ provider: ExecutionProvider, options: [ProviderOption], to opts: OpaquePointer?, runtime: OrtRuntime) throws {
        if provider == .cpu {  // always there, always last; it takes no options through this path
            guard options.isEmpty else {
                throw OrtError.badProviderOption(provider: provider.rawValue, reason: "the CPU provider takes no provider options (\(options.map(\.description).joined(separator: ", ")))")
            }
            return
        }
        let available = try runtime.availableProviders()
        guard available.contains(provider.ortKey) else {
            throw OrtError.providerUnavailable(provider: provider.rawValue, library: runtime.libraryPath, available: available)
        }
        let api = runtime.api
        if provider == .cuda {
            // The CUDA function ORT's CUDA builds export takes the device; its other options need ORT's
            // CUDA options object, which this binding does not fill.
            var device: Int32 = 0
            for option in options {
                guard option.key == "device_id", let d = Int32(option.value), d >= 0 else {
                    throw OrtError.badProviderOption(provider: "CUDA", reason: "only device_id=N is passed to CUDA here, not \(option)")
                }
                device = d
            }
            var status: OpaquePointer?
            guard fm_ort_append_cuda(opts, device, &status) == 0 else {
                throw OrtError.runtime(context: "execution provider CUDA", message: "this build lists CUDA but exports no way to enable it")
            }
            try check(api, status, "execution provider CUDA")
            return
        }
        try withCStrings(options.map(\.key)) { keys in
            try withCStrings(options.map(\.value)) { values in
                try check(api, api.pointee.SessionOptionsAppendExecutionProvider(opts, provider.appendName, keys, values, options.count),
                          "execution provider \(provider)" + (options.isEmpty ? "" : " with \(options.map(\.description).joined(separator: ", "))"))
            }
        }
    }

    private static func describe(runtime: OrtRuntime, session: OpaquePointer, inputs: Bool) throws -> [TensorInfo] {
        let api = runtime.api
        var count = 0
        try check(api, inputs ? api.pointee.SessionGetInputCount(session, &count) : api.pointee.SessionGetOutputCount(session, &count),
                  "model signature")
        var result: [TensorInfo] = []
        for i in 0..<count {
            var rawName: UnsafeMutablePointer<CChar>?
            try check(api, inputs ? api.pointee.SessionGetInputName(session, i, runtime.allocator, &rawName)
                                  : api.pointee.SessionGetOutputName(session, i, runtime.allocator, &rawName), "model signature")
            let name = runtime.take(rawName)
            var typeInfo: OpaquePointer?
            try check(api, inputs ? api.pointee.SessionGetInputTypeInfo(session, i, &typeInfo)
                                  : api.pointee.SessionGetOutputTypeInfo(session, i, &typeInfo), "type of \(name)")
            defer { api.pointee.ReleaseTypeInfo(typeInfo) }
            var tensorInfo: OpaquePointer?
            try check(api, api.pointee.CastTypeInfoToTensorInfo(typeInfo, &tensorInfo), "type of \(name)")
            guard let tensorInfo else {
                result.append(TensorInfo(name: name, elementType: .other(nil), shape: [], dimensionNames: []))
                continue
            }
            let (type, dims) = try typeAndDimensions(api, tensorInfo, "shape of \(name)")
            let rank = dims.count
            var symbols = [UnsafePointer<CChar>?](repeating: nil, count: rank)
            try check(api, api.pointee.GetSymbolicDimensions(tensorInfo, &symbols, rank), "shape of \(name)")
            result.append(TensorInfo(name: name, elementType: TensorElementType(type), shape: dims,
                                     dimensionNames: symbols.map { $0.map { String(cString: $0) } ?? "" }))
        }
        return result
    }

    /// Element type and dimensions (−1 where dynamic) of a tensor type-and-shape info.
    static func typeAndDimensions(_ api: UnsafePointer<OrtApi>, _ info: OpaquePointer?, _ context: String) throws
        -> (ONNXTensorElementDataType, [Int64]) {
        var type = ONNX_TENSOR_ELEMENT_DATA_TYPE_UNDEFINED
        try check(api, api.pointee.GetTensorElementType(info, &type), context)
        var rank = 0
        try check(api, api.pointee.GetDimensionsCount(info, &rank), context)
        var dims = [Int64](repeating: 0, count: rank)
        try check(api, api.pointee.GetDimensions(info, &dims, rank), context)
        return (type, dims)
    }

    /// Runs the model on float32 inputs (by input name) and returns every output (by name).
    /// Safe to call from several threads at once on one session, as ORT documents for `Run()`.
    public func run(_ feeds: [String: Tensor]) throws -> [String: Tensor] {
        let api = runtime.api
        for info in inputs where feeds[info.name] == nil {
            throw OrtError.badInput(model: modelPath, reason: "input \(info.name) missing (the model expects \(inputs.map(\.description).joined(separator: ", ")))")
        }
        for (name, tensor) in feeds {
            guard let info = inputs.first(where: { $0.name == name }) else {
                throw OrtError.badInput(model: modelPath, reason: "the model has no input \(name) (it has \(inputs.map(\.name).joined(separator: ", ")))")
            }
            guard info.elementType == .float32 else {
                throw OrtError.unsupportedType(model: modelPath, reason: "input \(name) is \(info.elementType); only float32 inputs are supported")
            }
            let fits = info.shape.count == tensor.shape.count && zip(info.shape, tensor.shape).allSatisfy { $0 < 0 || Int($0) == $1 }
            guard fits else {
                throw OrtError.badInput(model: modelPath, reason: "input \(name) has shape \(tensor.shape); the model expects \(info)")
            }
        }
        let order = inputs.map(\.name)
        let tensors = order.map { feeds[$0]! }
        var values: [OpaquePointer?] = []
        defer { for v in values { api.pointee.ReleaseValue(v) } }
        // The input values point into `tensors`' storage, which stays put until Run returns.
        return try withInputPointers(tensors) { pointers in
            for (i, p) in pointers.enumerated() {
                var value: OpaquePointer?
                let shape = tensors[i].shape.map(Int64.init)
                try check(api, api.pointee.CreateTensorWithDataAsOrtValue(runtime.memoryInfo, p, tensors[i].count * 4, shape, shape.count,
                                                                          ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT, &value), "input \(order[i])")
                values.append(value)
            }
            var outs = [OpaquePointer?](repeating: nil, count: outputs.count)
            defer { for v in outs { api.pointee.ReleaseValue(v) } }
            try withCStrings(order) { inNames in
                try withCStrings(outputs.map(\.name)) { outNames in
                    try check(api, api.pointee.Run(session, nil, inNames, values, inNames.count, outNames, outNames.count, &outs),
                              "\(modelPath): run")
                }
            }
            var result: [String: Tensor] = [:]
            for (i, info) in outputs.enumerated() {
                result[info.name] = try readTensor(outs[i], name: info.name)
            }
            return result
        }
    }

    private func readTensor(_ value: OpaquePointer?, name: String) throws -> Tensor {
        let api = runtime.api
        var shapeInfo: OpaquePointer?
        try check(api, api.pointee.GetTensorTypeAndShape(value, &shapeInfo), "output \(name)")
        defer { api.pointee.ReleaseTensorTypeAndShapeInfo(shapeInfo) }
        let (type, dims) = try InferenceSession.typeAndDimensions(api, shapeInfo, "output \(name)")
        var count = 0
        try check(api, api.pointee.GetTensorShapeElementCount(shapeInfo, &count), "output \(name)")
        var data: UnsafeMutableRawPointer?
        try check(api, api.pointee.GetTensorMutableData(value, &data), "output \(name)")
        let shape = dims.map(Int.init)
        guard count > 0, let data else { return Tensor(shape: shape, values: []) }
        switch type {
        case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT:
            return Tensor(shape: shape, values: Array(UnsafeBufferPointer(start: data.assumingMemoryBound(to: Float.self), count: count)))
        case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64:
            let v = UnsafeBufferPointer(start: data.assumingMemoryBound(to: Int64.self), count: count)
            return Tensor(shape: shape, values: v.map { Float($0) })
        case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32:
            let v = UnsafeBufferPointer(start: data.assumingMemoryBound(to: Int32.self), count: count)
            return Tensor(shape: shape, values: v.map { Float($0) })
        default:
            throw OrtError.unsupportedType(model: modelPath, reason: "output \(name) is \(TensorElementType(type)); only float32 and integer outputs are read")
        }
    }

    /// Ends profiling and returns the path of ORT's JSON trace (not while a run is in progress).
    public func endProfiling() throws -> String {
        var path: UnsafeMutablePointer<CChar>?
        try check(runtime.api, runtime.api.pointee.SessionEndProfiling(session, runtime.allocator, &path), "end profiling")
        return runtime.take(path)
    }
}

/// Base addresses of each tensor's storage, valid inside `body` (nil for an empty tensor, which ORT
/// accepts with a byte count of 0). ORT only reads inputs, so the read-only storage is handed over
/// as the mutable pointer its C API asks for.
private func withInputPointers<R>(_ tensors: [Tensor], _ body: ([UnsafeMutableRawPointer?]) throws -> R) rethrows -> R {
    func recurse(_ i: Int, _ acc: [UnsafeMutableRawPointer?]) throws -> R {
        if i == tensors.count { return try body(acc) }
        return try tensors[i].values.withUnsafeBytes { try recurse(i + 1, acc + [$0.baseAddress.map { UnsafeMutableRawPointer(mutating: $0) }]) }
    }
    return try recurse(0, [])
}

/// NUL-terminated copies of `strings`, valid inside `body`.
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) throws -> R) rethrows -> R {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    return try body(copies.map { UnsafePointer($0) })
}
