import FaceMirrorCore
import Foundation
import VisionBinding

/// OpenFace 2.2's face for its AU models (`AlignFaceMask`): a 112×112 similarity warp that maps the 24
/// rigid points onto the PDM's mean shape × 0.7, centred on the PDM fit's translation, with everything
/// outside the face's triangulation (forehead raised by 30 px) set to black.
public struct AUFaceAlignment: Sendable {
    public static let size = 112
    public static let scale = 0.7
    /// Points that move little with expression: jaw sides, nose, eye corners.
    public static let rigidPoints = [1, 2, 3, 4, 12, 13, 14, 15, 27, 28, 29, 31, 32, 33, 34, 35, 36, 39, 40, 41, 42, 45, 46, 47]
    /// Points raised by 30 px before masking so that the forehead stays in the face.
    static let raisedPoints = [0, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26]

    public var triangleCount: Int { triangles.count }
    let reference: [Point]                 // the mean shape's x, y × 0.7
    let triangles: [(Int, Int, Int)]

    public init(pdm: PointDistributionModel, triangulationPath: String) throws {
        let n = PointDistributionModel.points
        reference = (0..<n).map { Point(pdm.mean[$0] * Self.scale, pdm.mean[n + $0] * Self.scale) }
        let lines = try OpenFaceTextMatrix.lines(of: triangulationPath)
        let (matrix, _) = try OpenFaceTextMatrix.read(lines, from: 0, path: triangulationPath)
        guard matrix.columns == 3, matrix.values.allSatisfy({ $0 >= 0 && $0 < Double(n) && $0 == $0.rounded() }) else {
            throw ModelError.invalid(path: triangulationPath, reason: "not a triangulation of the 68 points")
        }
        triangles = (0..<matrix.rows).map { (Int(matrix.values[3 * $0]), Int(matrix.values[3 * $0 + 1]), Int(matrix.values[3 * $0 + 2])) }
    }

    /// The 2×3 warp (frame → aligned face), its entries rounded to float32 as OpenFace's are.
    public func warp(landmarks: [Point], tx: Double, ty: Double) -> Affine {
        let src = Self.rigidPoints.map { landmarks[$0] }, dst = Self.rigidPoints.map { reference[$0] }
        let a = Self.similarity(from: src, to: dst).map { Double(Float($0)) }
        let ftx = Double(Float(tx)), fty = Double(Float(ty))
        let t0 = Float(a[0] * ftx + a[1] * fty), t1 = Float(a[2] * ftx + a[3] * fty)
        let half = Float(Self.size) / 2
        return [a[0], a[1], Double(-t0 + half), a[2], a[3], Double(-t1 + half)]
    }

    /// Scale × rotation (2×2, row-major) taking `src` onto `dst` in the least-squares sense, each set
    /// centred and scaled to unit RMS first (AlignShapesWithScale; the rotation in closed form).
    static func similarity(from src: [Point], to dst: [Point]) -> [Double] {
        func normalised(_ p: [Point]) -> ([Point], Double) {
            let n = Double(p.count)
            let mx = p.reduce(0) { $0 + $1.x } / n, my = p.reduce(0) { $0 + $1.y } / n
            let centred = p.map { Point($0.x - mx, $0.y - my) }
            let rms = (centred.reduce(0) { $0 + $1.x * $1.x + $1.y * $1.y } / n).squareRoot()
            return (centred.map { Point($0.x / rms, $0.y / rms) }, rms)
        }
        let (s, sScale) = normalised(src), (d, dScale) = normalised(dst)
        var dotSum = 0.0, crossSum = 0.0
        for (a, b) in zip(s, d) {
            dotSum += a.x * b.x + a.y * b.y
            crossSum += a.x * b.y - a.y * b.x
        }
        let angle = atan2(crossSum, dotSum), k = dScale / sScale
        return [k * cos(angle), -k * sin(angle), k * sin(angle), k * cos(angle)]
    }

    /// The landmarks in the aligned face, with the forehead points raised, as the mask uses them.
    public func maskLandmarks(_ landmarks: [Point], warp w: Affine) -> [Point] {
        var out = landmarks.map { Point(w[0] * $0.x + w[1] * $0.y + w[2], w[3] * $0.x + w[4] * $0.y + w[5]) }
        let raise = (30 / 0.7) * Self.scale
        for i in Self.raisedPoints { out[i].y -= raise }
        return out
    }

    /// 255 inside any triangle of the face (barycentric test on whole-pixel positions), else 0.
    public func mask(_ points: [Point]) -> [UInt8] {
        let size = Self.size
        var mask = [UInt8](repeating: 0, count: size * size)
        for (i0, i1, i2) in triangles {
            let v0 = points[i0], v1 = points[i1], v2 = points[i2]
            let denom = (v1.y - v2.y) * (v0.x - v2.x) + (v2.x - v1.x) * (v0.y - v2.y)
            if abs(denom) < 1e-10 { continue }
            let x0 = max(0, Int(floor(min(v0.x, v1.x, v2.x)))), x1 = min(size - 1, Int(ceil(max(v0.x, v1.x, v2.x))))
            let y0 = max(0, Int(floor(min(v0.y, v1.y, v2.y)))), y1 = min(size - 1, Int(ceil(max(v0.y, v1.y, v2.y))))
            if x0 > x1 || y0 > y1 { continue }
            for y in y0...y1 {
                let py = Double(y)
                for x in x0...x1 where mask[y * size + x] == 0 {
                    let px = Double(x)
                    let a = ((v1.y - v2.y) * (px - v2.x) + (v2.x - v1.x) * (py - v2.y)) / denom
                    let b = ((v2.y - v0.y) * (px - v2.x) + (v0.x - v2.x) * (py - v2.y)) / denom
                    if a >= 0 && b >= 0 && 1.0 - a - b >= 0 { mask[y * size + x] = 255 }
                }
            }
        }
        return mask
    }

    /// The masked 112×112 face, the warp and the mask.
    public func align(_ frame: Image, landmarks: [Point], tx: Double, ty: Double) throws -> (face: Image, warp: Affine, mask: [UInt8]) {
        let w = warp(landmarks: landmarks, tx: tx, ty: ty)
        var face = try Imaging.warpAffine(frame, map: w, width: Self.size, height: Self.size, interpolation: .bilinear, border: 0)
        let mask = self.mask(maskLandmarks(landmarks, warp: w))
        face.pixels.withUnsafeMutableBufferPointer { px in
            for i in 0..<mask.count where mask[i] == 0 { px[3 * i] = 0; px[3 * i + 1] = 0; px[3 * i + 2] = 0 }
        }
        return (face, w, mask)
    }
}
