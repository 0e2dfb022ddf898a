@_exported import FaceMirrorBindings

/// A stage that times its own parts (pre-processing, inference, post-processing) in the
/// performance report, instead of being timed as one block by the pipeline.
public protocol SelfTimedStage: AnyObject {
    var timer: StageTimer? { get set }
}

/// Finds faces in a frame, best first.
public protocol FaceDetector {
    var name: String { get }
    func detect(_ image: Image) throws -> [FaceBox]
}

/// Places landmarks on the face inside a box.
public protocol LandmarkDetector {
    var name: String { get }
    var layout: LandmarkLayout { get }
    func landmarks(in image: Image, box: FaceBox) throws -> FaceLandmarks
}

/// Measures facial action units (and what else the model gives) on the face inside a box.
public protocol AUEstimator {
    var name: String { get }
    func analyse(_ image: Image, box: FaceBox) throws -> FaceAnalysis
}

/// Splits a frame at the midline into two mirrored hemiface pictures.
public protocol Mirror {
    /// `right`: the image-left side (patient's right on an upright frontal face) kept and reflected;
    /// `left`: the image-right side kept and reflected.
    func mirror(_ image: Image, about midline: Midline) throws -> (right: Image, left: Image)
}
