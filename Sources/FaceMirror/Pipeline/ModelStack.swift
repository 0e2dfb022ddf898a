import FileDigest
import FaceModels
import FaceMirrorCore
import Foundation
import Logging
import OrtBinding

/// Which models `process` runs: the dlib default, or ONNX models (OpenFace 3.0's RetinaFace, STAR
/// or PFLD, MTL) given as a folder with the seed system's file names or one by one.
public struct ModelStack: Sendable {
    /// File names the seed system used in its model folder.
    public static let detectorFile = "retinaface_mobilenet025_coreml.onnx"
    public static let landmarksFile = "star_landmark_98_coreml.onnx"
    public static let auFile = "mtl_efficientnet_b0_coreml.onnx"
    /// Plain names a folder may use instead (what `scripts/models/export_openface3.py`-style tools and users pick).
    public static let plainNames = (detector: "retinaface.onnx", landmarks: "star.onnx", au: "mtl.onnx")

    public var modelsDirectory: String?
    public var detector: ModelFile?
    public var landmarks: ModelFile?
    public var landmarksKind: LandmarkModelKind?
    public var auModel: ModelFile?
    /// dlib's 68-point model file when dlib places the landmarks (default: `DlibLandmarkDetector.defaultModelPath`).
    public var dlibLandmarks: String?
    public var session = SessionOptions()
    /// A folder of OpenFace 2's AU models: their 17 AUs on both hemifaces (`--au openface2`).
    public var openFace2Directory: String?
    /// Whether the MTL network runs when one is named or in the models folder.
    public var runsMTL = true
    public var hemifaceLandmarks = HemifaceLandmarkSource.defaultChoice

    public init() {}

    /// True when every stage is dlib's (no ONNX model named).
    public var isDefault: Bool { modelsDirectory == nil && detector == nil && landmarks == nil && auModel == nil }

    /// The model files after resolving the folder: explicit files win over the folder's.
    public func resolved() throws -> (detector: ModelFile?, landmarks: ModelFile?, au: ModelFile?) {
        var det = detector, lm = landmarks, au = runsMTL ? auModel : nil
        if let dir = modelsDirectory {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
                throw ModelError.notFound(path: dir, hint: "--models expects a folder")
            }
            func inDir(_ name: String) -> ModelFile? {
                let p = URL(fileURLWithPath: dir).appendingPathComponent(name).path
                return FileManager.default.fileExists(atPath: p) ? ModelFile(path: p) : nil
            }
            det = det ?? inDir(ModelStack.detectorFile) ?? inDir(ModelStack.plainNames.detector)
            lm = lm ?? inDir(ModelStack.landmarksFile) ?? inDir(ModelStack.plainNames.landmarks)
            au = au ?? inDir(ModelStack.auFile) ?? inDir(ModelStack.plainNames.au)
            if !runsMTL { au = nil }
            if det == nil || lm == nil {
                let missing = [det == nil ? "\(ModelStack.detectorFile) (or \(ModelStack.plainNames.detector))" : nil,
                               lm == nil ? "\(ModelStack.landmarksFile) (or \(ModelStack.plainNames.landmarks))" : nil].compactMap { $0 }
                throw ModelError.notFound(path: dir, hint: "the folder lacks \(missing.joined(separator: " and ")) (or give --detector / --landmarks)")
            }
        }
        return (det, lm, au)
    }

    /// The processor for this stack, each model loaded once. Stages not given an ONNX model use dlib.
    public func makeProcessor(logger: Logger) throws -> VideoProcessor {
        let files = try resolved()
        if session.provider != .cpu && files.detector == nil && files.landmarks == nil && files.au == nil {
            throw ModelError.invalid(path: "--provider \(session.provider)", reason: "the dlib stack runs on the CPU only; an execution provider needs ONNX models")
        }
        // The provenance and the study's fingerprint need every model file's SHA-256: hashed while the models load.
        let dlibPath = dlibLandmarks ?? DlibLandmarkDetector.defaultModelPath
        DigestCache.shared.prefetch([files.detector?.path, files.landmarks?.path ?? dlibPath, files.au?.path].compactMap { $0 })
        // The three stages load at once (dlib's detector decompresses itself, its landmark model and ONNX
        // sessions deserialise: a few tenths of a second each, most of a short video's start-up).
        final class Slots: @unchecked Sendable {
            let lock = NSLock()
            var results: [Int: Result<Any, Error>] = [:]
        }
        let slots = Slots()
        let session = self.session, landmarksKind = self.landmarksKind
        DispatchQueue.concurrentPerform(iterations: 3) { stage in
            let result = Result<Any, Error> {
                switch stage {
                case 0: return try files.detector.map { try RetinaFaceDetector(model: $0, options: session) as FaceDetector } ?? DlibFaceDetector()
                case 1: return try files.landmarks.map { try OnnxLandmarkDetector(model: $0, kind: landmarksKind, options: session) as LandmarkDetector }
                    ?? DlibLandmarkDetector(modelPath: dlibPath)
                default: return try files.au.map { try MTLEstimator(model: $0, options: session) } as Any
                }
            }
            slots.lock.lock(); slots.results[stage] = result; slots.lock.unlock()
        }
        let loaded = slots.results
        let detector = try loaded[0]!.get() as! FaceDetector
        let landmarker = try loaded[1]!.get() as! LandmarkDetector
        let au = try loaded[2]!.get() as? MTLEstimator
        let notes = [(detector as? RetinaFaceDetector)?.fallbackNote, (landmarker as? OnnxLandmarkDetector)?.fallbackNote, au?.fallbackNote].compactMap { $0 }
        for note in notes { logger.warning("\(note)") }
        logger.info("stages: \(detector.name) detector, \(landmarker.name) landmarks\(au.map { ", \($0.name) action units" } ?? "")")
        let processor = VideoProcessor(detector: detector, landmarker: landmarker, auEstimator: au, logger: logger)
        // The files that loaded (a fallback, when it was used, is what ran).
        processor.models = [
            files.detector.map { ModelUse(role: "detector", name: detector.name, path: (detector as? RetinaFaceDetector)?.loadedPath ?? $0.path) }
                ?? ModelUse.dlibDetector,
            files.landmarks.map { ModelUse(role: "landmarks", name: landmarker.name, path: (landmarker as? OnnxLandmarkDetector)?.loadedPath ?? $0.path) }
                ?? ModelUse.dlibLandmarks(dlibPath),
        ] + (files.au.map { [ModelUse(role: "action units", name: au?.name ?? "MTL", path: au?.loadedPath ?? $0.path)] } ?? [])
        if files.detector != nil || files.landmarks != nil || files.au != nil { processor.session = session }
        if let dir = openFace2Directory {
            let models = try OpenFace2Models(directory: dir)
            processor.openFace2 = models
            processor.hemifaceLandmarks = hemifaceLandmarks
            // One role per file: the study's fingerprint keys each model by its role.
            processor.models += models.files.map { path in
                let file = (path as NSString).lastPathComponent
                return ModelUse(role: "OpenFace 2 AUs: \(file)", name: (file as NSString).deletingPathExtension, path: path)
            }
            logger.info("OpenFace 2 AU models from \(dir) (hemiface landmarks \(hemifaceLandmarks.rawValue))")
        }
        return processor
    }
}
