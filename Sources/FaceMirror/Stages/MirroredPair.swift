import FaceMirrorCore

/// A frame's two mirrored hemiface pictures.
public struct MirroredPair: Sendable {
    public let right: Image
    public let left: Image

    public init(right: Image, left: Image) {
        self.right = right
        self.left = left
    }

    public subscript(side: Hemiface) -> Image {
        switch side {
        case .right: return right
        case .left: return left
        }
    }
}
