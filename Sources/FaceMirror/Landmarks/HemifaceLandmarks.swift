import FaceMirrorCore

/// The landmarks of a mirrored hemiface picture without fitting again: the kept half's points stay, the
/// other half's are the kept partners reflected across the midline, and midline points are projected
/// onto it (the picture is symmetric about the line, so a fit on it would put them there).
public enum HemifaceLandmarks {
    public static func reflected(_ points: [Point], layout: LandmarkLayout, midline: Midline, side: Hemiface) -> [Point] {
        // The right hemiface keeps the image-left half (negative signed distance).
        let keptSign: Double = side == .right ? -1 : 1
        return points.indices.map { i in
            let j = layout.mirrorPartner[i]
            if j == i {
                let p = points[i], r = midline.reflect(p)
                return Point((p.x + r.x) / 2, (p.y + r.y) / 2)
            }
            // Of the pair, the point further into the kept half is the one the picture shows.
            let iKept = keptSign * midline.signedDistance(points[i]) >= keptSign * midline.signedDistance(points[j])
            return iKept ? points[i] : midline.reflect(points[j])
        }
    }

    /// The 68 iBUG points OpenFace 2 needs, from any layout.
    public static func ibug68(_ points: [Point], layout: LandmarkLayout) -> [Point] {
        layout.ibug68.map { points[$0] }
    }
}
