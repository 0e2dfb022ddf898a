import CVisionShim
import FaceMirrorCore

/// A BGR colour for drawing.
public struct Colour: Sendable {
    public var b: UInt8, g: UInt8, r: UInt8
    public init(r: UInt8, g: UInt8, b: UInt8) { self.r = r; self.g = g; self.b = b }
    var bgr: [UInt8] { [b, g, r] }

    public static let green = Colour(r: 40, g: 220, b: 60)
    public static let yellow = Colour(r: 250, g: 220, b: 40)
    public static let orange = Colour(r: 255, g: 150, b: 30)
    public static let red = Colour(r: 230, g: 40, b: 40)
    public static let cyan = Colour(r: 40, g: 220, b: 230)
    public static let white = Colour(r: 255, g: 255, b: 255)
    public static let black = Colour(r: 0, g: 0, b: 0)
}

/// In-place drawing on an `Image` through OpenCV (anti-aliased lines and dots, plain text).
extension Image {
    public mutating func drawLine(from a: (x: Double, y: Double), to b: (x: Double, y: Double), colour: Colour, thickness: Int = 2) throws {
        try withMutableShimImage { img in
            try shimCall("drawLine") { fm_draw_line(img, a.x, a.y, b.x, b.y, colour.bgr, Int32(thickness), $0, $1) }
        }
    }

    public mutating func drawRect(x1: Double, y1: Double, x2: Double, y2: Double, colour: Colour, thickness: Int = 2) throws {
        try withMutableShimImage { img in
            try shimCall("drawRect") { fm_draw_rect(img, x1, y1, x2, y2, colour.bgr, Int32(thickness), $0, $1) }
        }
    }

    /// Dots at interleaved x, y coordinates (NaN pairs are skipped).
    public mutating func drawPoints(_ xy: [Float], radius: Int = 2, colour: Colour) throws {
        try withMutableShimImage { img in
            try shimCall("drawPoints") { fm_draw_points(img, xy, Int32(xy.count / 2), Int32(radius), colour.bgr, $0, $1) }
        }
    }

    public mutating func drawLabel(_ text: String, x: Int, y: Int, scale: Double = 0.8, foreground: Colour, background: Colour) throws {
        try withMutableShimImage { img in
            try shimCall("drawLabel") { fm_draw_label(img, text, Int32(x), Int32(y), scale, foreground.bgr, background.bgr, $0, $1) }
        }
    }
}
