import FaceModels
import FaceMirrorCore
import Foundation
import OrtBinding

/// RetinaFace (mobilenet0.25) through ONNX Runtime, decoded as OpenFace 3.0 does.
public final class RetinaFaceDetector: FaceDetector {
    public let name = "RetinaFace"
    public let scoreThreshold: Double
    /// Why the model's fallback file was loaded instead of its own, when it was.
    public let fallbackNote: String?
    /// The file that loaded: the model's own, or its fallback.
    public var loadedPath: String { session.modelPath }
    private let session: InferenceSession
    private let names: ModelStageNames

    public init(model: ModelFile, options: SessionOptions = SessionOptions(),
                scoreThreshold: Double = RetinaFaceSpec.mirroringScoreThreshold) throws {
        let loaded = try LoadedModel(model, options: options, kind: "RetinaFace",
                                     expected: "input 'input' float32[1,3,H,W] and outputs loc [1,N,4], conf [1,N,2], landms [1,N,10]") { s in
            s.inputs.count == 1 && s.inputs[0].name == RetinaFaceSpec.inputName && fits(s.inputs.first, [-1, 3, -1, -1])
                && s.outputs.count == 3 && fits(s.outputs[0], [-1, -1, 4]) && fits(s.outputs[1], [-1, -1, 2]) && fits(s.outputs[2], [-1, -1, 10])
        }
        session = loaded.session
        fallbackNote = loaded.fallbackNote
        self.scoreThreshold = scoreThreshold
        names = ModelStageNames(model: name, provider: options.provider)
    }

    public convenience init(modelPath: String, options: SessionOptions = SessionOptions()) throws {
        try self.init(model: ModelFile(path: modelPath), options: options)
    }

    public func detectWithPoints(_ image: Image, timer: StageTimer = StageTimer()) throws -> [Detection] {
        let input = timer.measure(names.pre) { RetinaFaceSpec.preprocess(image) }
        let out = try timer.measure(names.infer) { try session.run([RetinaFaceSpec.inputName: input]) }
        // Outputs by position: the original WIDER FACE export names the landmarks 'iou'.
        let o = session.outputs.compactMap { out[$0.name] }
        guard o.count == 3 else {
            throw ModelError.unexpectedOutput(model: name, got: out.keys.sorted().joined(separator: ", "), expected: "loc, conf, landms")
        }
        return try timer.measure(names.post) {
            try RetinaFaceSpec.decode(loc: o[0], conf: o[1], landmarks: o[2], width: image.width, height: image.height,
                                      threshold: scoreThreshold)
        }
    }

    /// Boxes with the roll of the eye line from RetinaFace's eye points.
    public func detect(_ image: Image, timer: StageTimer) throws -> [FaceBox] {
        try detectWithPoints(image, timer: timer).map { d in
            var box = d.box
            let (l, r) = (d.points[0], d.points[1])
            box.roll = atan2(-(r.y - l.y), r.x - l.x) * 180 / .pi
            return box
        }
    }
}
