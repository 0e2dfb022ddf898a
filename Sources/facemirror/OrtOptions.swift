import ArgumentParser
import OrtBinding

/// How ONNX Runtime runs the models, with the same option names in every command.
struct OrtOptions: ParsableArguments {
    @Option(help: "ONNX Runtime execution provider (the loaded build must have it).")
    var provider: ExecutionProvider = .cpu

    @Option(help: "ONNX Runtime threads per model (0 = one per core).")
    var ortThreads: Int = 0

    @Option(help: "ONNX Runtime graph optimisation when loading a model.")
    var ortLevel: SessionOptions.Optimization = .all

    func validate() throws {
        guard ortThreads >= 0 else { throw ValidationError("--ort-threads must be 0 or more") }
    }

    var session: SessionOptions {
        var s = SessionOptions()
        s.provider = provider
        s.intraOpThreads = ortThreads
        s.optimization = ortLevel
        return s
    }
}
