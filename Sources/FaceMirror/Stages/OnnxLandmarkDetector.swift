import FaceModels
import FaceMirrorCore
import OrtBinding

/// A 98-point (WFLW) landmark network through ONNX Runtime: STAR or PFLD.
///
/// PFLD's crop is turned by the box's roll so that the network sees an upright face (it was trained on
/// upright crops and under-/over-states in-plane rotation otherwise); a box with roll 0 gives the
/// reference's unrotated crop. STAR keeps OpenFace 3.0's unrotated crop.
public final class OnnxLandmarkDetector: LandmarkDetector {
    public let name: String
    public let layout = LandmarkLayout.wflw98
    public let kind: LandmarkModelKind
    /// Why the model's fallback file was loaded instead of its own, when it was.
    public let fallbackNote: String?
    /// The file that loaded: the model's own, or its fallback.
    public var loadedPath: String { session.modelPath }
    private let session: InferenceSession
    private let inputName: String
    private let outputName: String
    private let names: ModelStageNames

    public init(model: ModelFile, kind: LandmarkModelKind? = nil, options: SessionOptions = SessionOptions()) throws {
        // Asked for one kind, the other kind is refused for what it is, not listed as acceptable.
        let expected = kind.map(\.signature) ?? LandmarkModelKind.allCases.map(\.signature).joined(separator: " or ")
        var found: LandmarkModelKind?
        let loaded: LoadedModel
        do {
            loaded = try LoadedModel(model, options: options, kind: kind.map { $0.rawValue.uppercased() } ?? "98-point landmark",
                                     expected: expected) { s in
                found = LandmarkModelKind.detect(s)
                return found != nil && (kind == nil || kind == found)
            }
        } catch ModelError.wrongKind(let path, let asked, _, let expected) where found != nil {
            throw ModelError.wrongKind(path: path, kind: asked, found: "it is a \(found!.rawValue.uppercased()) model (--landmarks-kind \(found!.rawValue), or leave it out)",
                                       expected: expected)
        }
        guard let found, let input = loaded.session.inputs.first, let output = loaded.session.outputs.last else {
            throw ModelError.invalid(path: model.path, reason: "no landmark signature")  // `accept` guarantees these
        }
        session = loaded.session
        fallbackNote = loaded.fallbackNote
        self.kind = found
        inputName = input.name
        outputName = output.name
        name = found == .star ? "STAR" : "PFLD"
        names = ModelStageNames(model: name, provider: options.provider)
    }

    public convenience init(modelPath: String, kind: LandmarkModelKind? = nil, options: SessionOptions = SessionOptions()) throws {
        try self.init(model: ModelFile(path: modelPath), kind: kind, options: options)
    }

    public func landmarks(in image: Image, box: FaceBox, timer: StageTimer) throws -> FaceLandmarks {
        let points: [Point]
        switch kind {
        case .star:
            let (input, crop) = try timer.measure(names.pre) { try STARSpec.preprocess(image, box: box) }
            let out = try timer.measure(names.infer) { try session.run([inputName: input]) }
            points = try timer.measure(names.post) { try STARSpec.decode(try output(out), crop: crop) }
        case .pfld:
            let (input, square) = try timer.measure(names.pre) { try PFLDSpec.preprocess(image, box: box, roll: box.roll) }
            let out = try timer.measure(names.infer) { try session.run([inputName: input]) }
            points = try timer.measure(names.post) { try PFLDSpec.decode(try output(out), square: square) }
        }
        return FaceLandmarks(layout: layout, xy: points.flatMap { [Float($0.x), Float($0.y)] })
    }

    private func output(_ outputs: [String: Tensor]) throws -> Tensor {
        guard let t = outputs[outputName] else {
            throw ModelError.unexpectedOutput(model: name, got: outputs.keys.sorted().joined(separator: ", "), expected: outputName)
        }
        return t
    }
}
