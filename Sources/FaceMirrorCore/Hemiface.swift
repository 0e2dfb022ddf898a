/// One of the two mirrored faces a frame is split into.
///
/// Sides are the patient's on an upright frontal face, which faces the camera: the patient's right
/// is the image-left half. A hemiface picture keeps that half and fills the other with its reflection.
public enum Hemiface: String, Sendable, CaseIterable {
    /// The patient's right: the image-left half kept and reflected (`<stem>_right_mirrored.*`).
    case right
    /// The patient's left: the image-right half kept and reflected (`<stem>_left_mirrored.*`).
    case left

    /// The kept half's eye contour in `layout` (both eyes of a hemiface picture are this eye).
    public func keptEye(in layout: LandmarkLayout) -> [Int] {
        switch self {
        case .right: return layout.imageLeftEye
        case .left: return layout.imageRightEye
        }
    }
}
