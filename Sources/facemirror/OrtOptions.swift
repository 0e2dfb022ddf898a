import ArgumentParser
import FaceMirrorCore
import OrtBinding

/// How ONNX Runtime runs the models, with the same option names in every command.
struct OrtOptions: ParsableArguments {
    @Option(name: [.customLong("provider"), .customLong("ep")], help: "ONNX Runtime execution provider (the loaded build must have it); --ep is the same.")
    var provider: ExecutionProvider = .cpu

    @Option(parsing: .unconditional, help: "ONNX Runtime threads per model (0 = one per core; at most 4 per core).")
    var ortThreads: Int = 0

    @Option(help: "ONNX Runtime graph optimisation when loading a model.")
    var ortLevel: SessionOptions.Optimization = .all

    @Option(name: .customLong("provider-option"), help: "An option for the provider, KEY=VALUE, passed to ONNX Runtime as given (repeatable).")
    var providerOptions: [String] = []

    @Option(name: .customLong("cuda-device"), help: "With --provider CUDA: the GPU (device_id).")
    var cudaDevice: Int?

    @Option(name: .customLong("coreml-format"), help: "With --provider CoreML: MLProgram (what the Neural Engine runs) or NeuralNetwork.")
    var coreMLFormat: CoreMLFormat?

    @Option(name: .customLong("coreml-units"), help: "With --provider CoreML: which units may run the model: ALL, CPUAndNeuralEngine, CPUAndGPU or CPUOnly.")
    var coreMLUnits: CoreMLUnits?

    @Flag(name: .customLong("coreml-static-shapes"), help: "With --provider CoreML: hand CoreML only nodes whose inputs have fixed sizes (fix them first with `model optimize --fix-shape`).")
    var coreMLStaticShapes = false

    enum CoreMLFormat: String, ExpressibleByArgument, CaseIterable { case MLProgram, NeuralNetwork }
    enum CoreMLUnits: String, ExpressibleByArgument, CaseIterable { case ALL, CPUAndNeuralEngine, CPUAndGPU, CPUOnly }

    func validate() throws {
        if let m = WorkLimits.check("--ort-threads", ortThreads, in: 0...WorkLimits.maxThreads, why: WorkLimits.threadsReason) {
            throw ValidationError(m)
        }
        for text in providerOptions where ProviderOption(text) == nil {
            throw ValidationError("--provider-option \(text): expected KEY=VALUE, neither empty")
        }
        if !providerOptions.isEmpty && provider == .cpu {
            throw ValidationError("--provider-option goes with a --provider other than CPU (the CPU provider takes none)")
        }
        if let cudaDevice {
            guard provider == .cuda else { throw ValidationError("--cuda-device goes with --provider CUDA") }
            guard cudaDevice >= 0 else { throw ValidationError("--cuda-device must be 0 or more") }
        }
        if (coreMLFormat != nil || coreMLUnits != nil || coreMLStaticShapes) && provider != .coreml {
            throw ValidationError("--coreml-format, --coreml-units and --coreml-static-shapes go with --provider CoreML")
        }
    }

    /// Every provider option: the named flags', then --provider-option's.
    var allProviderOptions: [ProviderOption] {
        var out = ProviderOption.coreML(format: coreMLFormat?.rawValue, computeUnits: coreMLUnits?.rawValue, staticShapes: coreMLStaticShapes)
        if let cudaDevice { out.append(ProviderOption(key: "device_id", value: String(cudaDevice))) }
        return out + providerOptions.compactMap(ProviderOption.init)
    }

    var session: SessionOptions {
        var s = SessionOptions()
        s.provider = provider
        s.providerOptions = allProviderOptions
        s.intraOpThreads = ortThreads
        s.optimization = ortLevel
        return s
    }
}
