/// Where ONNX Runtime runs a model. Which of these a build has depends on how ORT was compiled
/// (PyPI's CPU wheel: CPU only); asking for an absent one is an error naming those it has.
public enum ExecutionProvider: String, Sendable, CaseIterable, CustomStringConvertible {
    case cpu = "CPU", cuda = "CUDA", coreml = "CoreML", tensorrt = "TensorRT", openvino = "OpenVINO"
    case xnnpack = "XNNPACK", qnn = "QNN", dml = "DML", webgpu = "WebGPU", azure = "Azure"

    /// A provider by its short name or ORT's full name, ignoring case ("cuda", "CUDAExecutionProvider").
    public init?(name: String) {
        let lower = name.lowercased()
        let short = lower.hasSuffix("executionprovider") ? String(lower.dropLast("executionprovider".count)) : lower
        guard let found = ExecutionProvider.allCases.first(where: { $0.rawValue.lowercased() == short }) else { return nil }
        self = found
    }

    /// The name ORT lists the provider under.
    public var ortKey: String {
        switch self {
        case .cpu: return "CPUExecutionProvider"
        case .cuda: return "CUDAExecutionProvider"
        case .coreml: return "CoreMLExecutionProvider"
        case .tensorrt: return "TensorrtExecutionProvider"
        case .openvino: return "OpenVINOExecutionProvider"
        case .xnnpack: return "XnnpackExecutionProvider"
        case .qnn: return "QNNExecutionProvider"
        case .dml: return "DmlExecutionProvider"
        case .webgpu: return "WebGpuExecutionProvider"
        case .azure: return "AzureExecutionProvider"
        }
    }

    /// The name `SessionOptionsAppendExecutionProvider` takes (ORT compares it exactly).
    var appendName: String {
        switch self {
        case .xnnpack: return "XNNPACK"
        case .azure: return "AZURE"
        default: return rawValue
        }
    }

    public var description: String { rawValue }
}

/// One provider option, `KEY=VALUE`, as ONNX Runtime takes it (neither part empty).
public struct ProviderOption: Sendable, Equatable, CustomStringConvertible {
    public let key: String
    public let value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    /// `KEY=VALUE`; nil when either part is empty.
    public init?(_ text: String) {
        guard let eq = text.firstIndex(of: "=") else { return nil }
        let k = String(text[..<eq]).trimmingCharacters(in: .whitespaces), v = String(text[text.index(after: eq)...]).trimmingCharacters(in: .whitespaces)
        guard !k.isEmpty, !v.isEmpty else { return nil }
        self.init(key: k, value: v)
    }

    public var description: String { "\(key)=\(value)" }

    /// CoreML's options that decide whether the Neural Engine runs the model (ORT's CoreML provider
    /// keys): the ML Program format (the Neural Engine's), which units may run it, and whether only
    /// nodes with static input shapes go to CoreML.
    public static func coreML(format: String?, computeUnits: String?, staticShapes: Bool) -> [ProviderOption] {
        var out: [ProviderOption] = []
        if let format { out.append(ProviderOption(key: "ModelFormat", value: format)) }
        if let computeUnits { out.append(ProviderOption(key: "MLComputeUnits", value: computeUnits)) }
        if staticShapes { out.append(ProviderOption(key: "RequireStaticInputShapes", value: "1")) }
        return out
    }
}
