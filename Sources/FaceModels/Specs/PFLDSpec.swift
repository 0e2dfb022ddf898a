import FaceMirrorCore
import VisionBinding
import OrtBinding
import Foundation

/// PFLD (WFLW 98 points, 112×112 input, 196 outputs in [0, 1] of the crop), as its reference
/// inference script runs it: the square of side max(w, h) centred on the face box (black outside
/// the frame), PIL-style bicubic resize to 112×112, RGB, (x/255 − 0.5)/0.5, NCHW.
public enum PFLDSpec {
    public static let size = 112

    /// The square crop in frame pixels (top-left corner and side), turned by `roll` degrees about its centre.
    public struct Square: Sendable, Equatable {
        public let x: Int, y: Int, side: Int
        public var roll: Double = 0

        /// A point of the (upright) crop, in crop pixels, as a frame pixel.
        public func toFrame(_ u: Double, _ v: Double) -> Point {
            let h = Double(side) / 2
            let a = roll * .pi / 180
            // The crop shows the frame turned by −roll; turning back by +roll (counter-clockwise on screen, y down).
            let du = u - h, dv = v - h
            return Point(Double(x) + h + cos(a) * du + sin(a) * dv, Double(y) + h - sin(a) * du + cos(a) * dv)
        }
    }

    public static func square(for box: FaceBox) -> Square {
        let side = max(1, Int(max(box.width, box.height).rounded()))
        let c = box.centre
        return Square(x: Int((c.x - Double(side) / 2).rounded()), y: Int((c.y - Double(side) / 2).rounded()), side: side)
    }

    /// With `roll` ≠ 0 the square is first turned upright (bilinear) before the reference resize.
    public static func preprocess(_ image: Image, box: FaceBox, roll: Double = 0) throws -> (tensor: Tensor, square: Square) {
        var sq = square(for: box)
        sq.roll = roll
        let map: Affine
        if roll == 0 {
            // An integer shift: a plain copy of the square, black where it leaves the frame.
            map = [1, 0, Double(-sq.x), 0, 1, Double(-sq.y)]
        } else {
            // Frame → crop: the inverse of Square.toFrame.
            let a = roll * .pi / 180, h = Double(sq.side) / 2
            let cx = Double(sq.x) + h, cy = Double(sq.y) + h
            let (c, s) = (cos(a), sin(a))
            map = [c, -s, h - c * cx + s * cy, s, c, h - s * cx - c * cy]
        }
        let patch = try Imaging.warpAffine(image, map: map, width: sq.side, height: sq.side)
        let plane = sq.side * sq.side
        var planes = [Float](repeating: 0, count: 3 * plane)
        patch.pixels.withUnsafeBufferPointer { src in
            for i in 0..<plane {
                planes[i] = Float(src[3 * i + 2])
                planes[plane + i] = Float(src[3 * i + 1])
                planes[2 * plane + i] = Float(src[3 * i])
            }
        }
        let resized = AntialiasedResize.resize(planes, channels: 3, height: sq.side, width: sq.side, outHeight: size, outWidth: size, filter: .bicubic)
        // PIL rounds and clips to bytes after resizing.
        let values = resized.map { (min(255, max(0, $0.rounded())) / 255 - 0.5) / 0.5 }
        return (Tensor(shape: [1, 3, size, size], values: values), sq)
    }

    /// 196 values (x0, y0, x1, …) in [0, 1] of the square → frame pixels.
    public static func decode(_ output: Tensor, square: Square) throws -> [Point] {
        guard output.count == 196 else {
            throw ModelError.unexpectedOutput(model: "PFLD", got: "\(output.shape)", expected: "98 (x, y) pairs")
        }
        let side = Double(square.side)
        return (0..<98).map { i in square.toFrame(Double(output.values[2 * i]) * side, Double(output.values[2 * i + 1]) * side) }
    }
}
