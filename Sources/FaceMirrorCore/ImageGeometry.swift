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

/// Growing a picture to a size an encoder needs without touching the pixels it has.
extension Image {
    /// The picture with extra columns on the right and rows at the bottom, each a copy of the last.
    public func padded(toWidth newWidth: Int, height newHeight: Int) -> Image {
        precondition(newWidth >= width && newHeight >= height)
        var out = [UInt8](repeating: 0, count: newWidth * newHeight * 3)
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<newHeight {
                    let sy = min(y, height - 1)
                    let from = sy * width * 3, to = y * newWidth * 3
                    for i in 0..<(width * 3) { dst[to + i] = src[from + i] }
                    for x in width..<newWidth {
                        let last = from + (width - 1) * 3
                        dst[to + 3 * x] = src[last]; dst[to + 3 * x + 1] = src[last + 1]; dst[to + 3 * x + 2] = src[last + 2]
                    }
                }
            }
        }
        return Image(width: newWidth, height: newHeight, pixels: out)
    }
}

/// Putting pictures together (stills, contact sheets).
extension Image {
    /// Copies `other` into this picture with its top-left corner at (x, y); what falls outside is left out.
    public mutating func paste(_ other: Image, x: Int, y: Int) {
        let x0 = max(0, x), x1 = min(width, x + other.width)
        guard x1 > x0 else { return }
        let rowBytes = (x1 - x0) * 3, w = width
        other.pixels.withUnsafeBufferPointer { src in
            pixels.withUnsafeMutableBufferPointer { dst in
                for row in max(0, y)..<max(max(0, y), min(height, y + other.height)) {
                    let from = ((row - y) * other.width + (x0 - x)) * 3, to = (row * w + x0) * 3
                    dst.baseAddress!.advanced(by: to).update(from: src.baseAddress!.advanced(by: from), count: rowBytes)
                }
            }
        }
    }
}
