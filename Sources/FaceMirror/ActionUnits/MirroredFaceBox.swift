import FaceMirrorCore

extension FaceBox {
    /// The face box of a mirrored picture: the same size, centred on the midline at the box's height
    /// (the mirrored face is symmetric about the midline, not about the original box).
    public func mirrored(about midline: Midline) -> FaceBox {
        let cy = centre.y
        let g = midline.glabella, c = midline.chin
        let cx = abs(c.y - g.y) > 1e-9 ? g.x + (cy - g.y) * (c.x - g.x) / (c.y - g.y) : centre.x
        return FaceBox(left: cx - width / 2, top: top, right: cx + width / 2, bottom: bottom, score: score)
    }
}
