import Foundation

/// Resizing as torchvision does on tensors with `antialias=True` (bilinear): a separable triangle
/// filter whose support widens with the downscale factor (like PIL's BILINEAR), align_corners=False.
/// Not OpenCV's INTER_LINEAR, which samples only the 2×2 nearest pixels however much it shrinks.
public enum AntialiasedResize {
    /// For each output index: the first input index and the normalised weights of the inputs it reads.
    public static func weights(inputSize: Int, outputSize: Int) -> [(start: Int, weights: [Double])] {
        let scale = Double(inputSize) / Double(outputSize)
        let support = scale >= 1 ? scale : 1.0
        let invScale = scale >= 1 ? 1 / scale : 1.0
        return (0..<outputSize).map { i in
            let centre = scale * (Double(i) + 0.5)
            let lo = max(Int(centre - support + 0.5), 0)
            let hi = min(Int(centre + support + 0.5), inputSize)
            var w = (lo..<max(lo, hi)).map { j in max(0, 1 - abs((Double(j) - centre + 0.5) * invScale)) }
            let total = w.reduce(0, +)
            if total > 0 { w = w.map { $0 / total } }
            return (lo, w)
        }
    }

    /// Resizes planar float channels [C, H, W] to [C, outHeight, outWidth]: columns first, then rows.
    public static func resize(_ planes: [Float], channels: Int, height: Int, width: Int, outHeight: Int, outWidth: Int) -> [Float] {
        precondition(planes.count == channels * height * width)
        let wx = weights(inputSize: width, outputSize: outWidth)
        let wy = weights(inputSize: height, outputSize: outHeight)
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
