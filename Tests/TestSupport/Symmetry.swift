import FaceMirrorCore
import VisionBinding

/// How far a picture is from symmetric about a line: the measure the mirroring tests share.
public enum Symmetry {
    /// The reflection across `m` as a 2×3 affine map.
    public static func reflection(_ m: Midline) -> Affine {
        let o = m.reflect(Point(0, 0)), ex = m.reflect(Point(1, 0)), ey = m.reflect(Point(0, 1))
        return [ex.x - o.x, ey.x - o.x, o.x, ex.y - o.y, ey.y - o.y, o.y]
    }

    /// Mean absolute grey-level difference between `image` and its reflection inside a box.
    public static func asymmetry(_ image: Image, about m: Midline, box: (x0: Int, y0: Int, x1: Int, y1: Int),
                          interpolation: Imaging.Interpolation = .bilinear) throws -> Double {
        let reflected = try Imaging.warpAffine(image, map: reflection(m), width: image.width, height: image.height,
                                               interpolation: interpolation)
        var sum = 0.0, n = 0
        for y in max(0, box.y0)..<min(image.height, box.y1) {
            for x in max(0, box.x0)..<min(image.width, box.x1) {
                sum += abs(image.grey(x: x, y: y) - reflected.grey(x: x, y: y))
                n += 1
            }
        }
        return sum / Double(n)
    }
}
