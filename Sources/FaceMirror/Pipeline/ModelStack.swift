import Foundation
import Logging

/// Which models `process` runs: the dlib default, or ONNX models (OpenFace 3.0's RetinaFace, STAR
/// or PFLD, MTL) given as a folder with the seed system's file names or one by one.
public struct ModelStack: Sendable {
    /// File names the seed system used in its model folder.
    public static let detectorFile = "retinaface_mobilenet025_coreml.onnx"
    public static let landmarksFile = "star_landmark_98_coreml.onnx"
    public static let auFile = "mtl_efficientnet_b0_coreml.onnx"

    public var modelsDirectory: String?
    public var detector: String?
    public var landmarks: String?
    public var landmarksKind: LandmarkModelKind?
    public var auModel: String?
    public var session = SessionOptions()
    /// Turn PFLD's crop upright by the face's roll (off for --raw, which follows the reference exactly).
    public var rollAlignment = true

    public init() {}

    /// True when every stage is dlib's (no ONNX model named).
    public var isDefault: Bool { modelsDirectory == nil && detector == nil && landmarks == nil && auModel == nil }

    /// The model files after resolving the folder: explicit files win over the folder's.
    public func resolved() throws -> (detector: String?, landmarks: String?, au: String?) {
        var det = detector, lm = landmarks, au = auModel
        if let dir = modelsDirectory {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
                throw FaceMirrorError.missingModel(path: dir, hint: "--models expects a folder")
            }
            func inDir(_ name: String) -> String? {
                let p = URL(fileURLWithPath: dir).appendingPathComponent(name).path
                return FileManager.default.fileExists(atPath: p) ? p : nil
            }
            det = det ?? inDir(ModelStack.detectorFile)
            lm = lm ?? inDir(ModelStack.landmarksFile)
            au = au ?? inDir(ModelStack.auFile)
            if det == nil || lm == nil {
                let missing = [det == nil ? ModelStack.detectorFile : nil, lm == nil ? ModelStack.landmarksFile : nil].compactMap { $0 }
                throw FaceMirrorError.missingModel(path: dir, hint: "the folder lacks \(missing.joined(separator: " and ")) (or give --detector / --landmarks)")
            }
        }
        return (det, lm, au)
    }

    /// The processor for this stack. Stages not given an ONNX model use dlib.
    public func makeProcessor(seamWidth: Double = 6, logger: Logger) throws -> VideoProcessor {
        let files = try resolved()
        let detector: FaceDetector = try files.detector.map { try RetinaFaceDetector(modelPath: $0, options: session) } ?? DlibFaceDetector()
        let landmarker: LandmarkDetector = try files.landmarks.map {
            let l = try OnnxLandmarkDetector(modelPath: $0, kind: landmarksKind, options: session)
            l.alignRoll = rollAlignment
            return l
        } ?? DlibLandmarkDetector()
        let au: AUEstimator? = try files.au.map { try MTLEstimator(modelPath: $0, options: session) }
        logger.info("stages: \(detector.name) detector, \(landmarker.name) landmarks\(au.map { ", \($0.name) action units" } ?? "")")
        return VideoProcessor(detector: detector, landmarker: landmarker, mirror: MidlineMirror(seamWidth: seamWidth),
                              auEstimator: au, logger: logger)
    }
}
