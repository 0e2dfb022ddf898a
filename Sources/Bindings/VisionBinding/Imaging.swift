import CVisionShim
import FaceMirrorCore

/// A 2×3 affine map, row-major: x' = m[0]x + m[1]y + m[2], y' = m[3]x + m[4]y + m[5].
public typealias Affine = [Double]

/// Resampling, rotation and mirroring of `Image`s through OpenCV.
public enum Imaging {
    public enum Interpolation: Int32, Sendable {
        case bilinear = 0, bicubic = 1, lanczos = 2
    }

    /// Warps `image` into a `width`×`height` picture; `map` sends source pixels to destination pixels.
    public static func warpAffine(_ image: Image, map: Affine, width: Int, height: Int,
                                  interpolation: Interpolation = .bilinear, border: UInt8 = 0) throws -> Image {
        precondition(map.count == 6)
        var out = Image(width: width, height: height)
        try image.withShimImage { src in
            try out.withMutableShimImage { dst in
                try shimCall("warpAffine") { fm_warp_affine(src, dst, map, 0, interpolation.rawValue, border, $0, $1) }
            }
        }
        return out
    }

    /// Warps `image` into a `width`×`height` picture with OpenCV's perspective warp (bilinear), `matrix`
    /// (3×3, row-major, float32 as OpenFace 3.0 passes it) sending source pixels to destination pixels.
    public static func warpPerspective(_ image: Image, matrix: [Float], width: Int, height: Int, border: UInt8 = 0) throws -> Image {
        precondition(matrix.count == 9)
        var out = Image(width: width, height: height)
        try image.withShimImage { src in
            try out.withMutableShimImage { dst in
                try shimCall("warpPerspective") { fm_warp_perspective_f32(src, dst, matrix, border, $0, $1) }
            }
        }
        return out
    }

    /// Turns the picture clockwise by `quarterTurns` × 90°.
    public static func rotate(_ image: Image, quarterTurnsClockwise quarterTurns: Int) throws -> Image {
        let q = ((quarterTurns % 4) + 4) % 4
        if q == 0 { return image }
        var out = q == 2 ? Image(width: image.width, height: image.height) : Image(width: image.height, height: image.width)
        try image.withShimImage { src in
            try out.withMutableShimImage { dst in
                try shimCall("rotate") { fm_rotate(src, dst, Int32(q), $0, $1) }
            }
        }
        return out
    }

    public static func resize(_ image: Image, width: Int, height: Int) throws -> Image {
        var out = Image(width: width, height: height)
        try image.withShimImage { src in
            try out.withMutableShimImage { dst in
                try shimCall("resize") { fm_resize(src, dst, $0, $1) }
            }
        }
        return out
    }

    /// Decodes an image file (JPEG, PNG, …).
    public static func read(path: String) throws -> Image {
        var raw = fm_image()
        try shimCall("read \(path)") { fm_read_image(path, &raw, $0, $1) }
        defer { fm_free(raw.data) }
        let count = Int(raw.width) * Int(raw.height) * 3
        return Image(width: Int(raw.width), height: Int(raw.height),
                     pixels: Array(UnsafeBufferPointer(start: raw.data, count: count)))
    }

    /// Decodes an image file's bytes (JPEG, PNG, …) held in memory.
    public static func decode(_ bytes: [UInt8]) throws -> Image {
        var raw = fm_image()
        try bytes.withUnsafeBufferPointer { b in
            try shimCall("decode image") { fm_decode_image(b.baseAddress, b.count, &raw, $0, $1) }
        }
        defer { fm_free(raw.data) }
        return Image(width: Int(raw.width), height: Int(raw.height),
                     pixels: Array(UnsafeBufferPointer(start: raw.data, count: Int(raw.width) * Int(raw.height) * 3)))
    }

    /// The image as a JPEG file's bytes (quality 0–100).
    public static func encodeJPEG(_ image: Image, quality: Int = 85) throws -> [UInt8] {
        var bytes: UnsafeMutablePointer<UInt8>?
        var count = 0
        try image.withShimImage { src in
            try shimCall("encode JPEG") { fm_encode_jpeg(src, Int32(quality), &bytes, &count, $0, $1) }
        }
        defer { fm_free(bytes) }
        return Array(UnsafeBufferPointer(start: bytes, count: count))
    }

    /// Both mirrored pictures about the line from `from` to `to`: `keepLeft` keeps the side to the
    /// left of the line as it runs from `from` to `to` when that runs down the picture (image-left), `keepRight` the other.
    /// `seam` px around the line are cross-faded (0 = hard cut); both results stay exactly symmetric.
    public static func mirrorPair(_ image: Image, from: (x: Double, y: Double), to: (x: Double, y: Double),
                                  seam: Double) throws -> (keepLeft: Image, keepRight: Image) {
        var left = Image(width: image.width, height: image.height)
        var right = Image(width: image.width, height: image.height)
        let line = [from.x, from.y, to.x, to.y]
        try image.withShimImage { src in
            try left.withMutableShimImage { l in
                try right.withMutableShimImage { r in
                    try shimCall("mirror") { fm_mirror_pair(src, line, seam, l, r, $0, $1) }
                }
            }
        }
        return (left, right)
    }
}
