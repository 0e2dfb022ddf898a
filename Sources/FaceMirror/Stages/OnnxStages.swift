import Foundation

/// Times a model's three parts under the names the performance report uses:
/// `<Model>_preprocess`, `<Model>_onnx_<provider>`, `<Model>_postprocess`.
struct ModelStageNames {
    let pre: String, infer: String, post: String
    init(model: String, provider: String) {
        pre = "\(model)_preprocess"
        infer = "\(model)_onnx_\(provider.lowercased())"
        post = "\(model)_postprocess"
    }
}

extension StageTimer? {
    func time<T>(_ stage: String, _ body: () throws -> T) rethrows -> T {
        guard let timer = self else { return try body() }
        return try timer.measure(stage, body)
    }
}

/// Loads a model and checks it has what the spec needs, naming the file and the expectation otherwise.
func loadModel(_ path: String, options: SessionOptions, kind: String, expected: String,
               accept: (InferenceSession) -> Bool) throws -> InferenceSession {
    let session: InferenceSession
    do {
        session = try InferenceSession(modelPath: path, options: options)
    } catch let e as OrtError where e.message.contains("not in this ONNX Runtime build") {
        throw e
    } catch {
        throw FaceMirrorError.badModel(path: path, reason: "cannot be loaded as the \(kind) model (\(error)); expected \(expected)")
    }
    guard accept(session) else {
        let sig = "inputs " + session.inputs.map(\.description).joined(separator: ", ")
            + "; outputs " + session.outputs.map(\.description).joined(separator: ", ")
        throw FaceMirrorError.badModel(path: path, reason: "not a \(kind) model: it has \(sig); expected \(expected)")
    }
    return session
}

private func fits(_ info: TensorInfo?, _ shape: [Int64]) -> Bool {
    guard let info, info.elementType == "float32", info.shape.count == shape.count else { return false }
    return zip(info.shape, shape).allSatisfy { $0 < 0 || $1 < 0 || $0 == $1 }
}

/// RetinaFace (mobilenet0.25) through ONNX Runtime, decoded as OpenFace 3.0 does.
public final class RetinaFaceDetector: FaceDetector, SelfTimedStage {
    public let name = "RetinaFace"
    public var timer: StageTimer?
    public let scoreThreshold: Double
    private let session: InferenceSession
    private let names: ModelStageNames

    public init(modelPath: String, options: SessionOptions = SessionOptions(),
                scoreThreshold: Double = RetinaFaceSpec.mirroringScoreThreshold) throws {
        session = try loadModel(modelPath, options: options, kind: "RetinaFace",
                                expected: "input 'input' float32[1,3,H,W] and outputs loc [1,N,4], conf [1,N,2], landms [1,N,10]") { s in
            s.inputs.count == 1 && s.inputs[0].name == RetinaFaceSpec.inputName && fits(s.inputs.first, [-1, 3, -1, -1])
                && s.outputs.count == 3 && fits(s.outputs[0], [-1, -1, 4]) && fits(s.outputs[1], [-1, -1, 2]) && fits(s.outputs[2], [-1, -1, 10])
        }
        self.scoreThreshold = scoreThreshold
        names = ModelStageNames(model: name, provider: options.provider)
    }

    public func detectWithPoints(_ image: Image) throws -> [Detection] {
        let input = timer.time(names.pre) { RetinaFaceSpec.preprocess(image) }
        let out = try timer.time(names.infer) { try session.run([RetinaFaceSpec.inputName: input]) }
        // Outputs by position: the original WIDER FACE export names the landmarks 'iou'.
        let o = session.outputs.map { out[$0.name]! }
        return try timer.time(names.post) {
            try RetinaFaceSpec.decode(loc: o[0], conf: o[1], landmarks: o[2], width: image.width, height: image.height,
                                      threshold: scoreThreshold)
        }
    }

    /// Boxes with the roll of the eye line from RetinaFace's eye points.
    public func detect(_ image: Image) throws -> [FaceBox] {
        try detectWithPoints(image).map { d in
            var box = d.box
            let (l, r) = (d.points[0], d.points[1])
            box.roll = atan2(-(r.y - l.y), r.x - l.x) * 180 / .pi
            return box
        }
    }
}

/// Which 98-point landmark network a model is.
public enum LandmarkModelKind: String, Sendable, CaseIterable {
    case star, pfld

    /// Read from the model's signature: STAR takes 256×256 and gives 98×2; PFLD takes 112×112 and gives 196.
    public static func detect(_ session: InferenceSession) -> LandmarkModelKind? {
        guard session.inputs.count == 1, let out = session.outputs.last else { return nil }
        let count = out.shape.reduce(Int64(1)) { $0 * max($1, 1) }
        if fits(session.inputs.first, [1, 3, 256, 256]) && count == 196 { return .star }
        if fits(session.inputs.first, [1, 3, 112, 112]) && count == 196 { return .pfld }
        return nil
    }
}

/// A 98-point (WFLW) landmark network through ONNX Runtime: STAR or PFLD.
public final class OnnxLandmarkDetector: LandmarkDetector, SelfTimedStage {
    public let name: String
    public let layout = LandmarkLayout.wflw98
    public let kind: LandmarkModelKind
    public var timer: StageTimer?
    private let session: InferenceSession
    private let names: ModelStageNames

    /// PFLD only: turn the crop by the box's roll so that the network sees an upright face (it was
    /// trained on upright crops and under-/over-states in-plane rotation otherwise). STAR keeps
    /// OpenFace 3.0's unrotated crop.
    public var alignRoll = true

    public init(modelPath: String, kind: LandmarkModelKind? = nil, options: SessionOptions = SessionOptions()) throws {
        let expected = "STAR (input float32[1,3,256,256], last output 98×2) or PFLD (input float32[1,3,112,112], output 196 values)"
        var found: LandmarkModelKind?
        session = try loadModel(modelPath, options: options, kind: "98-point landmark", expected: expected) { s in
            found = LandmarkModelKind.detect(s)
            return found != nil && (kind == nil || kind == found)
        }
        self.kind = found!
        name = self.kind == .star ? "STAR" : "PFLD"
        names = ModelStageNames(model: name, provider: options.provider)
    }

    public func landmarks(in image: Image, box: FaceBox) throws -> FaceLandmarks {
        let inputName = session.inputs[0].name
        let outputName = session.outputs.last!.name
        let points: [Point]
        switch kind {
        case .star:
            let (input, crop) = try timer.time(names.pre) { try STARSpec.preprocess(image, box: box) }
            let out = try timer.time(names.infer) { try session.run([inputName: input]) }
            points = try timer.time(names.post) { try STARSpec.decode(out[outputName]!, crop: crop) }
        case .pfld:
            let (input, square) = try timer.time(names.pre) { try PFLDSpec.preprocess(image, box: box, roll: alignRoll ? box.roll : 0) }
            let out = try timer.time(names.infer) { try session.run([inputName: input]) }
            points = try timer.time(names.post) { try PFLDSpec.decode(out[outputName]!, square: square) }
        }
        return FaceLandmarks(layout: layout, xy: points.flatMap { [Float($0.x), Float($0.y)] })
    }
}

/// OpenFace 3.0's multitask network (emotion, gaze, 8 AUs) through ONNX Runtime.
public final class MTLEstimator: AUEstimator, SelfTimedStage {
    public let name = "MTL"
    public var timer: StageTimer?
    private let session: InferenceSession
    private let names: ModelStageNames

    public init(modelPath: String, options: SessionOptions = SessionOptions()) throws {
        let o = MTLSpec.outputs
        session = try loadModel(modelPath, options: options, kind: "MTL",
                                expected: "input 'input_face' float32[1,3,224,224] and outputs \(o.emotion) [1,8], \(o.gaze) [1,2], \(o.actionUnits) [1,8]") { s in
            let byName = Dictionary(s.outputs.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            return s.inputs.count == 1 && s.inputs[0].name == MTLSpec.inputName && fits(s.inputs.first, [1, 3, 224, 224])
                && fits(byName[o.emotion], [1, 8]) && fits(byName[o.gaze], [1, 2]) && fits(byName[o.actionUnits], [1, 8])
        }
        names = ModelStageNames(model: name, provider: options.provider)
    }

    public func analyse(_ image: Image, box: FaceBox) throws -> FaceAnalysis {
        let input = try timer.time(names.pre) { try MTLSpec.preprocess(image, box: box) }
        let out = try timer.time(names.infer) { try session.run([MTLSpec.inputName: input]) }
        return try timer.time(names.post) {
            try MTLSpec.decode(emotion: out[MTLSpec.outputs.emotion]!, gaze: out[MTLSpec.outputs.gaze]!,
                               actionUnits: out[MTLSpec.outputs.actionUnits]!)
        }
    }
}
