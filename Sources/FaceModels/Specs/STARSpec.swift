import FaceMirrorCore
import VisionBinding
import OrtBinding
import Foundation

/// STAR (WFLW 98 points) as OpenFace 3.0 runs it (STAR/demo.py `Alignment`): a 256×256 crop around
/// the detection box, BGR kept, scaled to [−1, 1]; the last output's points in [−1, 1] decoded with
/// align_corners=False and mapped back through the inverse crop.
public enum STARSpec {
    public static let inputName = "input_image"
    public static let size = 256

    /// The crop: frame pixel → crop pixel, x' = s·x + tx, y' = s·y + ty.
    public struct Crop: Sendable, Equatable {
        public let s: Double
        public let tx: Double
        public let ty: Double
        public var affine: Affine { [s, 0, tx, 0, s, ty] }
        /// The 3×3 matrix as OpenFace builds it: each entry rounded to float32 (`np.array(..., np.float32)`).
        public var float32Matrix: [Float] { [Float(s), 0, Float(tx), 0, Float(s), Float(ty), 0, 0, 1] }

        public init(s: Double, tx: Double, ty: Double) {
            self.s = s; self.tx = tx; self.ty = ty
        }

        /// The crop pixel (x, y) in frame pixels.
        public func toFrame(_ x: Double, _ y: Double) -> Point { Point((x - tx) / s, (y - ty) / s) }
    }

    /// OpenFace truncates the box to integers first (`det[:4].astype(int)`), then
    /// centre = corners' mean, scale = min(w, h)/200·1.05, s = 256/(scale·200), centre → (127.5, 127.5).
    public static func crop(for box: FaceBox) -> Crop {
        let x1 = box.left.rounded(.towardZero), y1 = box.top.rounded(.towardZero)
        let x2 = box.right.rounded(.towardZero), y2 = box.bottom.rounded(.towardZero)
        let cx = (x1 + x2) / 2, cy = (y1 + y2) / 2
        let scale = min(x2 - x1, y2 - y1) / 200 * 1.05
        let s = Double(size) / (scale * 200)
        return Crop(s: s, tx: 127.5 - s * cx, ty: 127.5 - s * cy)
    }

    /// [1, 3, 256, 256]: the bilinear crop (border 0) of the BGR frame, x/255·2 − 1. The crop is
    /// OpenFace's own: `cv2.warpPerspective` with the float32 matrix (an affine warp with the double
    /// matrix differs by up to 2 grey levels at some pixels).
    public static func preprocess(_ image: Image, box: FaceBox) throws -> (tensor: Tensor, crop: Crop) {
        let c = crop(for: box)
        let patch = try Imaging.warpPerspective(image, matrix: c.float32Matrix, width: size, height: size, border: 0)
        // x / 255 · 2 − 1 in float32, in numpy's order, so that the tensor is the reference's to the bit.
        let plane = size * size
        var values = [Float](repeating: 0, count: 3 * plane)
        patch.pixels.withUnsafeBufferPointer { src in
            values.withUnsafeMutableBufferPointer { dst in
                for i in 0..<plane {
                    for ch in 0..<3 { dst[ch * plane + i] = Float(src[3 * i + ch]) / 255 * 2 - 1 }
                }
            }
        }
        return (Tensor(shape: [1, 3, size, size], values: values), c)
    }

    /// The model's (98, 2) output in [−1, 1] → frame pixels: p = ((l + 1)·256 − 1)/2, then the inverse crop.
    public static func decode(_ output: Tensor, crop: Crop) throws -> [Point] {
        guard output.count % 2 == 0, output.count >= 2 else {
            throw ModelError.unexpectedOutput(model: "STAR", got: "\(output.shape)", expected: "a list of (x, y) pairs")
        }
        return (0..<(output.count / 2)).map { i in
            let px = ((Double(output.values[2 * i]) + 1) * Double(size) - 1) / 2
            let py = ((Double(output.values[2 * i + 1]) + 1) * Double(size) - 1) / 2
            return crop.toFrame(px, py)
        }
    }
}
