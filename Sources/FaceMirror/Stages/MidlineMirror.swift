import FaceMirrorCore
import VisionBinding

/// Mirrors with OpenCV's bilinear warp across the (possibly tilted) midline, cross-fading a narrow seam.
public struct MidlineMirror: Mirror {
    /// Width in pixels of the cross-faded band centred on the midline (0 = hard cut).
    public let seamWidth: Double

    public init(seamWidth: Double = 6) { self.seamWidth = seamWidth }

    public func mirror(_ image: Image, about midline: Midline) throws -> MirroredPair {
        let pair = try Imaging.mirrorPair(image, from: (midline.glabella.x, midline.glabella.y),
                                          to: (midline.chin.x, midline.chin.y), seam: seamWidth)
        // The image-left half is the patient's right.
        return MirroredPair(right: pair.keepLeft, left: pair.keepRight)
    }
}
