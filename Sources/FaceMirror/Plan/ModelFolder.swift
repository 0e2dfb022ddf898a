import FaceModels
import Foundation

/// A folder of ONNX models for the OpenFace 3.0 stack (`--models DIR`): each stage's file under a plain
/// name, or under the name OpenFace 3.0's exported models carry (which wins where both are present).
public enum ModelFolder {
    /// The names of OpenFace 3.0's exported models.
    public static let detectorFile = "retinaface_mobilenet025_coreml.onnx"
    public static let landmarksFile = "star_landmark_98_coreml.onnx"
    public static let auFile = "mtl_efficientnet_b0_coreml.onnx"
    /// Plain names (what `scripts/models/export_openface3.py`-style tools and users pick).
    public static let plainNames = (detector: "retinaface.onnx", landmarks: "star.onnx", au: "mtl.onnx")

    /// The models a folder holds (nil for a stage it has no file for).
    public struct Contents: Sendable, Equatable {
        public let detector: String?
        public let landmarks: String?
        public let au: String?

        /// Every model file found, detector first.
        public var files: [String] { [detector, landmarks, au].compactMap { $0 } }
    }

    /// What `directory` holds; an error when it is not a folder.
    public static func contents(of directory: String) throws -> Contents {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue else {
            throw ModelError.notFound(path: directory, hint: "--models expects a folder")
        }
        func find(_ names: String...) -> String? {
            names.map { URL(fileURLWithPath: directory).appendingPathComponent($0).path }.first { FileManager.default.fileExists(atPath: $0) }
        }
        return Contents(detector: find(detectorFile, plainNames.detector), landmarks: find(landmarksFile, plainNames.landmarks),
                        au: find(auFile, plainNames.au))
    }

    /// What the error says a folder lacks.
    static func missing(detector: Bool, landmarks: Bool) -> String {
        [detector ? "\(detectorFile) (or \(plainNames.detector))" : nil, landmarks ? "\(landmarksFile) (or \(plainNames.landmarks))" : nil]
            .compactMap { $0 }.joined(separator: " and ")
    }
}
