import FaceMirrorCore
import FaceModels
import FileDigest
import Foundation
import Logging
import OrtBinding

/// The models a run loads, resolved to files (`RunPlan` makes it from what was asked): ONNX models
/// (OpenFace 3.0's RetinaFace, STAR or PFLD, MTL) where given, dlib's otherwise, and the AU methods
/// measured on both hemifaces.
public struct ModelStack: Sendable {
    public var detector: ModelFile?
    public var landmarks: ModelFile?
    public var landmarksKind: LandmarkModelKind?
    /// The MTL network, when `actionUnits` holds `.mtl`.
    public var mtl: ModelFile?
    /// dlib's 68-point model, when dlib places the landmarks.
    public var dlibLandmarks: String
    public var session: SessionOptions
    /// OpenFace 2's model folder, when `actionUnits` holds `.openface2`.
    public var openFace2Directory: String?
    public var hemifaceLandmarks: HemifaceLandmarkSource
    /// The AU methods it measures, in the run's order (`AUMethod.ordered`): OpenFace 2's with a model
    /// folder for it, MTL's with an MTL model.
    public var actionUnits: [AUMethod] {
        AUMethod.ordered([openFace2Directory.map { _ in AUMethod.openface2 }, mtl.map { _ in AUMethod.mtl }].compactMap { $0 })
    }

    public init(detector: ModelFile? = nil, landmarks: ModelFile? = nil, landmarksKind: LandmarkModelKind? = nil, mtl: ModelFile? = nil,
                dlibLandmarks: String = DlibLandmarkDetector.defaultModelPath, session: SessionOptions = SessionOptions(),
                openFace2Directory: String? = nil, hemifaceLandmarks: HemifaceLandmarkSource = .defaultChoice) {
        self.detector = detector
        self.landmarks = landmarks
        self.landmarksKind = landmarksKind
        self.mtl = mtl
        self.dlibLandmarks = dlibLandmarks
        self.session = session
        self.openFace2Directory = openFace2Directory
        self.hemifaceLandmarks = hemifaceLandmarks
    }

    /// True when a stage runs in ONNX Runtime.
    public var usesONNX: Bool { detector != nil || landmarks != nil || mtl != nil }

    /// Every model file the run reads, with its role, before loading (a fallback may replace one).
    public var files: [(role: String, path: String)] {
        [detector.map { ("detector", $0.path) }, ("landmarks", landmarks?.path ?? dlibLandmarks), mtl.map { ("action units", $0.path) }]
            .compactMap { $0 }
    }

    /// The loaded stages of one job.
    private final class Loaded: @unchecked Sendable {
        let lock = NSLock()
        var detector: Result<FaceDetector, Error>?
        var landmarker: Result<LandmarkDetector, Error>?
        var mtl: Result<MTLEstimator, Error>?
        var openFace2: Result<OpenFace2Models, Error>?
        func set(_ body: (Loaded) -> Void) { lock.lock(); body(self); lock.unlock() }
    }

    /// A processor for one job, each model loaded once. Stages not given an ONNX model use dlib.
    public func load(logger: Logger) throws -> VideoProcessor {
        // The provenance and the study's fingerprint need every model file's SHA-256: hashed while the models load.
        DigestCache.shared.prefetch(files.map(\.path))
        // The stages load at once (dlib's detector decompresses itself, its landmark model, ONNX sessions
        // and OpenFace 2's regressors deserialise: a few tenths of a second each, most of a short video's start-up).
        let loaded = Loaded()
        let stack = self
        DispatchQueue.concurrentPerform(iterations: 4) { stage in
            switch stage {
            case 0:
                let r = Result<FaceDetector, Error> {
                    try stack.detector.map { try RetinaFaceDetector(model: $0, options: stack.session) as FaceDetector } ?? DlibFaceDetector()
                }
                loaded.set { $0.detector = r }
            case 1:
                let r = Result<LandmarkDetector, Error> {
                    try stack.landmarks.map { try OnnxLandmarkDetector(model: $0, kind: stack.landmarksKind, options: stack.session) as LandmarkDetector }
                        ?? DlibLandmarkDetector(modelPath: stack.dlibLandmarks)
                }
                loaded.set { $0.landmarker = r }
            case 2:
                guard let file = stack.mtl else { return }
                let r = Result<MTLEstimator, Error> { try MTLEstimator(model: file, options: stack.session) }
                loaded.set { $0.mtl = r }
            default:
                guard let dir = stack.openFace2Directory else { return }
                let r = Result<OpenFace2Models, Error> { try OpenFace2Models(directory: dir) }
                loaded.set { $0.openFace2 = r }
            }
        }
        let detector = try loaded.detector!.get(), landmarker = try loaded.landmarker!.get()
        let mtl = try loaded.mtl?.get(), openFace2 = try loaded.openFace2?.get()
        let notes = [(detector as? RetinaFaceDetector)?.fallbackNote, (landmarker as? OnnxLandmarkDetector)?.fallbackNote, mtl?.fallbackNote]
        for note in notes.compactMap({ $0 }) { logger.warning("\(note)") }

        var methods: [HemifaceAUMethod] = []
        for method in actionUnits {
            switch method {
            case .openface2:
                guard let openFace2 else { continue }
                methods.append(OpenFace2HemifaceAUs(models: openFace2, source: hemifaceLandmarks, landmarker: landmarker))
                logger.info("OpenFace 2 AU models from \(openFace2.directory) (hemiface landmarks \(hemifaceLandmarks.rawValue))")
            case .mtl:
                guard let mtl else { continue }
                // The file that loaded: a fallback, when it was used, is what ran.
                methods.append(MTLHemifaceAUs(estimator: mtl, model: ModelUse(role: "action units", name: mtl.name, path: mtl.loadedPath)))
            }
        }
        logger.info("stages: \(detector.name) detector, \(landmarker.name) landmarks\(methods.isEmpty ? "" : ", AUs: " + methods.map(\.name).joined(separator: ", "))")
        let stageModels = [
            self.detector.map { ModelUse(role: "detector", name: detector.name, path: (detector as? RetinaFaceDetector)?.loadedPath ?? $0.path) }
                ?? ModelUse.dlibDetector,
            landmarks.map { ModelUse(role: "landmarks", name: landmarker.name, path: (landmarker as? OnnxLandmarkDetector)?.loadedPath ?? $0.path) }
                ?? ModelUse.dlibLandmarks(dlibLandmarks),
        ]
        return VideoProcessor(detector: detector, landmarker: landmarker, actionUnits: methods, stageModels: stageModels,
                              session: usesONNX ? session : nil, logger: logger)
    }
}
