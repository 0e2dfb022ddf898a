import FaceModels
import FaceMirrorCore
import OrtBinding

/// OpenFace 3.0's multitask network (emotion, gaze, 8 AUs) through ONNX Runtime.
public final class MTLEstimator {
    public let name = "MTL"
    /// Why the model's fallback file was loaded instead of its own, when it was.
    public let fallbackNote: String?
    /// The file that loaded: the model's own, or its fallback.
    public var loadedPath: String { session.modelPath }
    private let session: InferenceSession
    private let names: ModelStageNames
    /// The batch the model's input takes: nil when any (a dynamic first dimension), else its fixed size.
    public let batch: Int?

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
        let first = session.inputs[0].shape[0]
        batch = first < 0 ? nil : Int(first)
    }

    public convenience init(modelPath: String, options: SessionOptions = SessionOptions()) throws {
        try self.init(model: ModelFile(path: modelPath), options: options)
    }

    public func analyse(_ image: Image, box: FaceBox, timer: StageTimer = StageTimer()) throws -> FaceAnalysis {
        try analyse([(image, box)], timer: timer)[0]
    }

    /// One run for all faces when the model takes that batch (`model optimize --dynamic-batch` makes
    /// it so), else one run per face.
    public func analyse(_ faces: [(image: Image, box: FaceBox)], timer: StageTimer) throws -> [FaceAnalysis] {
        guard faces.count > 1, batch == nil || batch == faces.count else {
            return try faces.flatMap { try run([$0], timer: timer) }
        }
        return try run(faces, timer: timer)
    }

    private func run(_ faces: [(image: Image, box: FaceBox)], timer: StageTimer) throws -> [FaceAnalysis] {
        let inputs = try timer.measure(names.pre) { try faces.map { try MTLSpec.preprocess($0.image, box: $0.box) } }
        let input = inputs.count == 1 ? inputs[0] : Tensor(shape: [inputs.count] + inputs[0].shape.dropFirst(), values: inputs.flatMap(\.values))
        let out = try timer.measure(names.infer) { try session.run([MTLSpec.inputName: input]) }
        return try timer.measure(names.post) {
            let o = MTLSpec.outputs
            guard let emotion = out[o.emotion], let gaze = out[o.gaze], let aus = out[o.actionUnits] else {
                throw ModelError.unexpectedOutput(model: name, got: out.keys.sorted().joined(separator: ", "),
                                                  expected: "\(o.emotion), \(o.gaze), \(o.actionUnits)")
            }
            return try (0..<faces.count).map { i in
                try MTLSpec.decode(emotion: emotion.row(i, of: faces.count), gaze: gaze.row(i, of: faces.count), actionUnits: aus.row(i, of: faces.count))
            }
        }
    }
}

extension Tensor {
    /// Row `i` of a tensor holding `n` equal rows along its first dimension, as a batch of one.
    func row(_ i: Int, of n: Int) -> Tensor {
        guard n > 1 else { return self }
        let size = count / n
        return Tensor(shape: [1] + shape.dropFirst(), values: Array(values[(i * size)..<((i + 1) * size)]))
    }
}
