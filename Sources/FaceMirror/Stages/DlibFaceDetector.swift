import FaceMirrorCore
import VisionBinding

/// dlib's HOG frontal face detector. Large frames are searched at a reduced size (faces in
/// clinical recordings are large), which keeps a re-detection well under a frame's budget.
public final class DlibFaceDetector: FaceDetector {
    public let name = "dlib HOG"
    private let detector: DlibHOGDetector
    /// Frames are shrunk so that their longer side is at most this many pixels before searching.
    public let maxSearchSide: Int

    public init(maxSearchSide: Int = 960) throws {
        detector = try DlibHOGDetector()
        self.maxSearchSide = maxSearchSide
    }

    public func detect(_ image: Image, timer: StageTimer) throws -> [FaceBox] {
        let side = max(image.width, image.height)
        let scale = side > maxSearchSide ? Double(maxSearchSide) / Double(side) : 1
        return try timer.measure("detect") { try detector.detect(image, upsample: 0, scale: scale) }
    }
}
