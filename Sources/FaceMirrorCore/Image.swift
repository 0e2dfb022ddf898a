/// A packed 8-bit BGR picture (3 bytes a pixel, rows without padding), the pipeline's one frame type.
public struct Image: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width > 0 && height > 0 && pixels.count == width * height * 3, "pixel count does not match size")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// A picture filled with one grey level.
    public init(width: Int, height: Int, fill: UInt8 = 0) {
        self.init(width: width, height: height, pixels: [UInt8](repeating: fill, count: width * height * 3))
    }

    public var stride: Int { width * 3 }

    /// Blue, green, red at (x, y).
    public func pixel(x: Int, y: Int) -> (b: UInt8, g: UInt8, r: UInt8) {
        let i = (y * width + x) * 3
        return (pixels[i], pixels[i + 1], pixels[i + 2])
    }

    /// Luma (BT.601) at (x, y), for comparisons in grey levels.
    public func grey(x: Int, y: Int) -> Double {
        let p = pixel(x: x, y: y)
        return 0.114 * Double(p.b) + 0.587 * Double(p.g) + 0.299 * Double(p.r)
    }
}

extension Image {
    /// The pixels of a rectangle inside the picture (clipped to it), as a picture of its own.
    public func cropped(x: Int, y: Int, width w: Int, height h: Int) -> Image? {
        let x0 = max(0, x), y0 = max(0, y), x1 = min(width, x + w), y1 = min(height, y + h)
        guard x1 > x0, y1 > y0 else { return nil }
        var out = [UInt8](repeating: 0, count: (x1 - x0) * (y1 - y0) * 3)
        let rowBytes = (x1 - x0) * 3
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for row in 0..<(y1 - y0) {
                    let from = ((y0 + row) * width + x0) * 3
                    dst.baseAddress!.advanced(by: row * rowBytes).update(from: src.baseAddress!.advanced(by: from), count: rowBytes)
                }
            }
        }
        return Image(width: x1 - x0, height: y1 - y0, pixels: out)
    }
}

extension Image {
    /// Mean and standard deviation of grey levels sampled on a 16×16 grid over a box (clipped to the
    /// picture): how bright the box is and how much it shows. (0, 0) for a box outside the picture.
    public func greyLevels(in b: (minX: Double, minY: Double, maxX: Double, maxY: Double)) -> (mean: Double, deviation: Double) {
        let x0 = max(0, b.minX), y0 = max(0, b.minY)
        let x1 = min(Double(width - 1), b.maxX), y1 = min(Double(height - 1), b.maxY)
        guard x1 > x0, y1 > y0 else { return (0, 0) }
        var sum = 0.0, squares = 0.0
        let n = 16
        for i in 0..<n {
            for j in 0..<n {
                let g = grey(x: Int(x0 + (x1 - x0) * (Double(i) + 0.5) / Double(n)), y: Int(y0 + (y1 - y0) * (Double(j) + 0.5) / Double(n)))
                sum += g
                squares += g * g
            }
        }
        let count = Double(n * n), mean = sum / count
        return (mean, max(0, squares / count - mean * mean).squareRoot())
    }
}
