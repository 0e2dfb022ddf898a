import FaceMirrorCore
import Foundation

/// Resizing as torchvision does on tensors with `antialias=True` and as PIL does: a separable filter
/// (triangle for bilinear, Keys a = −0.5 for bicubic) whose support widens with the downscale factor,
/// align_corners=False. Not OpenCV's INTER_LINEAR/CUBIC, which read a fixed 2×2/4×4 neighbourhood
/// however much they shrink.
public enum AntialiasedResize {
    public enum Filter: Sendable {
        case bilinear, bicubic
        var support: Double { self == .bilinear ? 1 : 2 }
        func weight(_ x: Double) -> Double {
            let x = abs(x)
            switch self {
            case .bilinear: return max(0, 1 - x)
            case .bicubic:
                let a = -0.5
                if x < 1 { return ((a + 2) * x - (a + 3)) * x * x + 1 }
                if x < 2 { return (((x - 5) * x + 8) * x - 4) * a }
                return 0
            }
        }
    }

    /// For each output index: the first input index and the normalised weights of the inputs it reads.
    public static func weights(inputSize: Int, outputSize: Int, filter: Filter = .bilinear) -> [(start: Int, weights: [Double])] {
        let scale = Double(inputSize) / Double(outputSize)
        let support = filter.support * (scale >= 1 ? scale : 1.0)
        let invScale = scale >= 1 ? 1 / scale : 1.0
        return (0..<outputSize).map { i in
            let centre = scale * (Double(i) + 0.5)
            let lo = max(Int(centre - support + 0.5), 0)
            let hi = min(Int(centre + support + 0.5), inputSize)
            var w = (lo..<max(lo, hi)).map { j in filter.weight((Double(j) - centre + 0.5) * invScale) }
            let total = w.reduce(0, +)
            if total > 0 { w = w.map { $0 / total } }
            return (lo, w)
        }
    }

    /// Resizes planar float channels [C, H, W] to [C, outHeight, outWidth]: columns first, then rows.
    public static func resize(_ planes: [Float], channels: Int, height: Int, width: Int, outHeight: Int, outWidth: Int,
                              filter: Filter = .bilinear) -> [Float] {
        precondition(planes.count == channels * height * width)
        let wx = weights(inputSize: width, outputSize: outWidth, filter: filter)
        let wy = weights(inputSize: height, outputSize: outHeight, filter: filter)
        var horizontal = [Float](repeating: 0, count: channels * height * outWidth)
        var out = [Float](repeating: 0, count: channels * outHeight * outWidth)
        planes.withUnsafeBufferPointer { src in
            horizontal.withUnsafeMutableBufferPointer { mid in
                for c in 0..<channels {
                    for y in 0..<height {
                        let row = (c * height + y) * width
                        for (x, f) in wx.enumerated() {
                            var acc = 0.0
                            for (k, w) in f.weights.enumerated() { acc += w * Double(src[row + f.start + k]) }
                            mid[(c * height + y) * outWidth + x] = Float(acc)
                        }
                    }
                }
            }
        }
        horizontal.withUnsafeBufferPointer { mid in
            out.withUnsafeMutableBufferPointer { dst in
                for c in 0..<channels {
                    for (y, f) in wy.enumerated() {
                        for x in 0..<outWidth {
                            var acc = 0.0
                            for (k, w) in f.weights.enumerated() { acc += w * Double(mid[(c * height + f.start + k) * outWidth + x]) }
                            dst[(c * outHeight + y) * outWidth + x] = Float(acc)
                        }
                    }
                }
            }
        }
        return out
    }
}
