import FaceModels
import FaceMirrorCore

/// Finds faces in a frame, best first. Times its own work in `timer`.
public protocol FaceDetector {
    var name: String { get }
    func detect(_ image: Image, timer: StageTimer) throws -> [FaceBox]
    /// A slower search that also finds faces the usual one misses (small ones), for when it found none.
    /// Detectors without one search as usual.
    func detectThoroughly(_ image: Image, timer: StageTimer) throws -> [FaceBox]
}

extension FaceDetector {
    public func detectThoroughly(_ image: Image, timer: StageTimer) throws -> [FaceBox] { try detect(image, timer: timer) }
}

/// Places landmarks on the face inside a box. Times its own work in `timer`.
public protocol LandmarkDetector {
    var name: String { get }
    var layout: LandmarkLayout { get }
    func landmarks(in image: Image, box: FaceBox, timer: StageTimer) throws -> FaceLandmarks
    /// The box relative to the face this model fits best from (the boxes it was trained on), when it
    /// has one: the tracker then fits from such a box, whatever box the detector gave.
    var preferredBoxRelation: BoxRelation? { get }
}

/// Splits a frame at the midline into its two mirrored hemiface pictures.
public protocol Mirror {
    func mirror(_ image: Image, about midline: Midline) throws -> MirroredPair
}

/// Running a stage on its own (tests, tools): its timings are not kept.
extension FaceDetector {
    public func detect(_ image: Image) throws -> [FaceBox] { try detect(image, timer: StageTimer()) }
}

extension LandmarkDetector {
    public var preferredBoxRelation: BoxRelation? { nil }

    public func landmarks(in image: Image, box: FaceBox) throws -> FaceLandmarks {
        try landmarks(in: image, box: box, timer: StageTimer())
    }
}
