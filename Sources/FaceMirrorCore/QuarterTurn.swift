/// Turning a picture by whole quarter turns: a pure permutation of its pixels (no resampling), which
/// is how a container's rotation flag (phones write one) is applied to decoded frames.
extension Image {
    /// The picture turned clockwise by `quarterTurns` × 90°.
    public func rotated(quarterTurnsClockwise quarterTurns: Int) -> Image {
        let q = ((quarterTurns % 4) + 4) % 4
        if q == 0 { return self }
        let (w, h) = (width, height)
        let (ow, oh) = q == 2 ? (w, h) : (h, w)
        var out = [UInt8](repeating: 0, count: pixels.count)
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<h {
                    for x in 0..<w {
                        // Where source pixel (x, y) lands.
                        let (nx, ny): (Int, Int)
                        switch q {
                        case 1: (nx, ny) = (h - 1 - y, x)
                        case 2: (nx, ny) = (w - 1 - x, h - 1 - y)
                        default: (nx, ny) = (y, w - 1 - x)
                        }
                        let s = (y * w + x) * 3, d = (ny * ow + nx) * 3
                        dst[d] = src[s]; dst[d + 1] = src[s + 1]; dst[d + 2] = src[s + 2]
                    }
                }
            }
        }
        return Image(width: ow, height: oh, pixels: out)
    }
}
