import FaceMirrorCore
import OrtBinding

/// OpenFace 3.0's multitask network (emotion, gaze, 8 AUs) through ONNX Runtime.
public final class MTLEstimator: AUEstimator {
    public let name = "MTL"
    /// Why the model's fallback file was loaded instead of its own, when it was.
    public let fallbackNote: String?
    /// The file that loaded: the model's own, or its fallback.
    public var loadedPath: String { session.modelPath }
    private let session: InferenceSession
    private let names: ModelStageNames

    public init(model: ModelFile, options: SessionOptions = SessionOptions()) throws {
        let o = MTLSpec.outputs
        let loaded = try LoadedModel(model, options: options, kind: "MTL",
                                     expected: "input 'input_face' float32[1,3,224,224] and outputs \(o.emotion) [1,8], \(o.gaze) [1,2], \(o.actionUnits) [1,8]") { s in
            let byName = Dictionary(s.outputs.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            return s.inputs.count == 1 && s.inputs[0].name == MTLSpec.inputName && fits(s.inputs.first, [1, 3, 224, 224])
                && fits(byName[o.emotion], [1, 8]) && fits(byName[o.gaze], [1, 2]) && fits(byName[o.actionUnits], [1, 8])
        }
        session = loaded.session
        fallbackNote = loaded.fallbackNote
        names = ModelStageNames(model: name, provider: options.provider)
    }

    public convenience init(modelPath: String, options: SessionOptions = SessionOptions()) throws {
        try self.init(model: ModelFile(path: modelPath), options: options)
    }

    public func analyse(_ image: Image, box: FaceBox, timer: StageTimer) throws -> FaceAnalysis {
        let input = try timer.measure(names.pre) { try MTLSpec.preprocess(image, box: box) }
        let out = try timer.measure(names.infer) { try session.run([MTLSpec.inputName: input]) }
        return try timer.measure(names.post) {
            let o = MTLSpec.outputs
            guard let emotion = out[o.emotion], let gaze = out[o.gaze], let aus = out[o.actionUnits] else {
                throw ModelError.unexpectedOutput(model: name, got: out.keys.sorted().joined(separator: ", "),
                                                  expected: "\(o.emotion), \(o.gaze), \(o.actionUnits)")
            }
            return try MTLSpec.decode(emotion: emotion, gaze: gaze, actionUnits: aus)
        }
    }
}
