import FaceMirrorCore
import VisionBinding

/// The square of a frame that a still shows of the face: 1.5 × the landmarks' larger extent, centred
/// on the midline at the face's mid-height (where the mirrored faces are centred too), clipped to the
/// frame. The same square serves the frame and both mirrored pictures.
struct FaceCrop {
    struct OffFrame: Error {}

    let x0: Int, y0: Int, x1: Int, y1: Int

    init(_ landmarks: FaceLandmarks, width: Int, height: Int) throws {
        let b = landmarks.bounds
        let side: Double = 1.5 * max(b.maxX - b.minX, b.maxY - b.minY)
        let cy: Double = (b.minY + b.maxY) / 2
        let g = landmarks.midline.glabella, c = landmarks.midline.chin
        let slope: Double = abs(c.y - g.y) > 1e-9 ? (c.x - g.x) / (c.y - g.y) : 0
        let cx: Double = g.x + (cy - g.y) * slope
        guard [cx, cy, side].allSatisfy({ $0.isFinite && abs($0) < 1e7 }) else { throw OffFrame() }
        x0 = max(0, Int((cx - side / 2).rounded()))
        y0 = max(0, Int((cy - side / 2).rounded()))
        x1 = min(width, Int((cx + side / 2).rounded()))
        y1 = min(height, Int((cy + side / 2).rounded()))
        // A face region (nearly) off the frame makes no picture.
        guard x1 - x0 >= 8, y1 - y0 >= 8 else { throw OffFrame() }
    }

    /// The width a picture of this crop takes at `height` pixels high.
    func width(atHeight height: Int) -> Int {
        max(1, Int((Double(x1 - x0) * Double(height) / Double(y1 - y0)).rounded()))
    }

    /// The crop scaled to fit `size` × `size` in one bilinear warp, centred on white: cheap enough for
    /// every kept frame (a face cut at the frame's edge is not stretched).
    func thumbnail(_ image: Image, size: Int) throws -> Image {
        let w = Double(x1 - x0), h = Double(y1 - y0), scale = Double(size) / max(w, h)
        let ox = (Double(size) - w * scale) / 2, oy = (Double(size) - h * scale) / 2
        return try Imaging.warpAffine(image, map: [scale, 0, ox - scale * Double(x0), 0, scale, oy - scale * Double(y0)],
                                      width: size, height: size, border: 255)
    }

    func apply(_ image: Image) throws -> Image {
        guard let out = image.cropped(x: x0, y: y0, width: x1 - x0, height: y1 - y0) else { throw OffFrame() }
        return out
    }
}
