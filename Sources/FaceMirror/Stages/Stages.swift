@_exported import FaceMirrorBindings

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

/// Splits a frame at the midline into two mirrored hemiface pictures.
public protocol Mirror {
    /// `right`: the image-left side (patient's right on an upright frontal face) kept and reflected;
    /// `left`: the image-right side kept and reflected.
    func mirror(_ image: Image, about midline: Midline) throws -> (right: Image, left: Image)
}
