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

    /// Frames whose longer side is at most this are also searched at twice their size by the thorough search.
    public static let maxUpsampledSide = 1920

    public func detect(_ image: Image, timer: StageTimer) throws -> [FaceBox] {
        let side = max(image.width, image.height)
        let scale = side > maxSearchSide ? Double(maxSearchSide) / Double(side) : 1
        return try timer.measure("detect") { try detector.detect(image, upsample: 0, scale: scale) }
    }

    /// HOG's window is 80 pixels: a face narrower than that at the searched size is not found. The
    /// thorough search looks at the frame's full size (when the usual search shrank it), then, for
    /// frames up to `maxUpsampledSide`, at twice its size (one pyramid-up step: faces down to ~40 px).
    public func detectThoroughly(_ image: Image, timer: StageTimer) throws -> [FaceBox] {
        let found = try detect(image, timer: timer)
        guard found.isEmpty else { return found }
        return try timer.measure("detect_small") {
            let side = max(image.width, image.height)
            if side > maxSearchSide {
                let full = try detector.detect(image, upsample: 0, scale: 1)
                if !full.isEmpty { return full }
            }
            guard side <= DlibFaceDetector.maxUpsampledSide else { return [] }
            return try detector.detect(image, upsample: 1, scale: 1)
        }
    }
}
