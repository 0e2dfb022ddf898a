import FaceModels
import Foundation
import OrtBinding

/// Which action units a run asks for, as `--au` takes them (repeatable).
public enum AUChoice: String, CaseIterable, Sendable {
    case openface2, mtl, none

    public var method: AUMethod? { AUMethod(rawValue: rawValue) }
}

/// What a front end (the `process` and `bench` commands, the web workspace) asks a run to do, as the
/// user gave it: model names or files, AU choices, output settings. `RunPlan` turns it into what runs;
/// `validate` holds every rule between these options, for every front end alike.
public struct RunRequest: Sendable {
    // Models and providers.
    /// A folder of ONNX models (`ModelFolder`).
    public var modelsDirectory: String?
    /// RetinaFace, STAR or PFLD, MTL: a file, or the name of a model in the store.
    public var detector: String?
    public var landmarks: String?
    public var landmarksKind: LandmarkModelKind?
    public var auModel: String?
    /// dlib's 68-point model file (default: `DlibLandmarkDetector.defaultModelPath`).
    public var dlibLandmarks: String?
    public var session = SessionOptions()

    // Action units.
    /// Empty: the default (OpenFace 2's when installed, MTL's when an MTL model is given).
    public var actionUnits: [AUChoice] = []
    public var openFace2Directory: String?
    public var hemifaceLandmarks: HemifaceLandmarkSource?

    // Outputs, following and the batch.
    /// Everything about the outputs and the face following (its `threads` 0 = divided among the jobs).
    public var options: ProcessOptions
    /// Videos processed at once: the cores are divided among them unless threads are given.
    public var jobs = 1

    public init(outputDirectory: URL) { options = ProcessOptions(outputDirectory: outputDirectory) }

    /// True when a stage is given an ONNX model.
    public var namesONNXModels: Bool { modelsDirectory != nil || detector != nil || landmarks != nil || auModel != nil }

    /// Every rule between the options; each message names them as `process` spells them.
    public func validate() throws {
        try options.validate()
        guard jobs >= 1 else { throw RunPlanError.invalidOptions("--jobs must be at least 1") }
        try RunRequest.validateModels(landmarks: landmarks, dlibLandmarks: dlibLandmarks)
        try RunRequest.validateActionUnits(actionUnits, openFace2Directory: openFace2Directory, hemifaceLandmarks: hemifaceLandmarks)
        // Between the models and the AUs.
        let methods = actionUnits.compactMap(\.method)
        if methods.contains(.mtl) && auModel == nil && modelsDirectory == nil {
            throw RunPlanError.invalidOptions("--au mtl runs OpenFace 3.0's MTL network: give --au-model FILE or --models DIR")
        }
        if !methods.isEmpty && !methods.contains(.mtl) && auModel != nil {
            throw RunPlanError.invalidOptions("--au-model is the MTL network's; add --au mtl to run it beside --au \(methods.map(\.rawValue).joined(separator: ", "))")
        }
        if session.provider != .cpu && !namesONNXModels {
            throw RunPlanError.invalidOptions("--provider \(session.provider) runs ONNX models; the default dlib stack runs on the CPU only (give --models DIR or --detector/--landmarks)")
        }
    }

    /// The landmark model: dlib's (with its file) or an ONNX one, not both.
    public static func validateModels(landmarks: String?, dlibLandmarks: String?) throws {
        if dlibLandmarks != nil && landmarks != nil {
            throw RunPlanError.invalidOptions("--dlib-landmarks is dlib's model; --landmarks replaces dlib, so give one of them")
        }
        if let dlibLandmarks, !FileManager.default.fileExists(atPath: dlibLandmarks) {
            throw RunPlanError.invalidOptions("--dlib-landmarks \(dlibLandmarks): no such file")
        }
    }

    /// The AU choices among themselves and with OpenFace 2's own options.
    public static func validateActionUnits(_ choices: [AUChoice], openFace2Directory: String?, hemifaceLandmarks: HemifaceLandmarkSource?) throws {
        let methods = choices.compactMap(\.method)
        if choices.contains(.none) {
            if !methods.isEmpty {
                throw RunPlanError.invalidOptions("--au none means no action units; it cannot go with --au \(methods.map(\.rawValue).joined(separator: ", "))")
            }
            if openFace2Directory != nil || hemifaceLandmarks != nil {
                throw RunPlanError.invalidOptions("--au none measures no action units; --openface2 and --hemiface-landmarks are for OpenFace 2's")
            }
        }
        if !methods.isEmpty && !methods.contains(.openface2) && (openFace2Directory != nil || hemifaceLandmarks != nil) {
            throw RunPlanError.invalidOptions("--openface2 and --hemiface-landmarks are OpenFace 2's; add --au openface2 to run it beside --au \(methods.map(\.rawValue).joined(separator: ", "))")
        }
        if let openFace2Directory, !FileManager.default.fileExists(atPath: openFace2Directory) {
            throw RunPlanError.invalidOptions("--openface2 \(openFace2Directory): no such folder")
        }
    }
}
