import ArgumentParser
import FaceMirror
import FaceModels

/// Which models run, and how ONNX Runtime runs them: dlib's by default, OpenFace 3.0's ONNX models
/// from a folder or one by one (files or names in the model store).
struct ModelOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Folder with the ONNX models.",
                               discussion: "\(ModelFolder.plainNames.detector), \(ModelFolder.plainNames.landmarks) and, for action units, \(ModelFolder.plainNames.au); or the names OpenFace 3.0's exported models carry (\(ModelFolder.detectorFile), \(ModelFolder.landmarksFile), \(ModelFolder.auFile))."),
            completion: .directory)
    var models: String?

    @Option(help: "RetinaFace ONNX model, a file or a name in the model store (replaces dlib's detector).", completion: .file(extensions: ["onnx"]))
    var detector: String?

    @Option(help: "98-point landmark ONNX model, STAR or PFLD, a file or a stored name (replaces dlib's 68 points).",
            completion: .file(extensions: ["onnx"]))
    var landmarks: String?

    @Option(help: "Kind of the landmark model; read from its signature when not given.")
    var landmarksKind: LandmarkModelKind?

    @Option(help: "MTL ONNX model, a file or a stored name: action units of both hemifaces, emotion and gaze.",
            completion: .file(extensions: ["onnx"]))
    var auModel: String?

    @Option(name: .customLong("dlib-landmarks"), help: "dlib's 68-point model file (default: $FACEMIRROR_DLIB_LANDMARKS, else Debian's /usr/share/dlib/shape_predictor_68_face_landmarks.dat).",
            completion: .file(extensions: ["dat"]))
    var dlibLandmarks: String?

    @OptionGroup(title: "ONNX Runtime")
    var ort: OrtOptions

    func apply(to request: inout RunRequest) {
        request.modelsDirectory = models
        request.detector = detector
        request.landmarks = landmarks
        request.landmarksKind = landmarksKind
        request.auModel = auModel
        request.dlibLandmarks = dlibLandmarks
        request.session = ort.session
    }

    func validate() throws {
        do { try RunRequest.validateModels(landmarks: landmarks, dlibLandmarks: dlibLandmarks) } catch { throw ValidationError("\(error)") }
    }
}
