import OrtBinding

/// The performance report's names for a model's three parts:
/// `<Model>_preprocess`, `<Model>_onnx_<provider>`, `<Model>_postprocess`.
struct ModelStageNames {
    let pre: String, infer: String, post: String
    init(model: String, provider: ExecutionProvider) {
        pre = "\(model)_preprocess"
        infer = "\(model)_onnx_\(provider.rawValue.lowercased())"
        post = "\(model)_postprocess"
    }
}
