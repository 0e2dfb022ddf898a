import Foundation

/// The facial midline through the glabella and the chin.
public struct Midline: Sendable, Equatable {
    public let glabella: Point
    public let chin: Point

    public init(glabella: Point, chin: Point) {
        self.glabella = glabella
        self.chin = chin
    }

    /// Glabella and chin are numbers at least a pixel apart: there is a line to mirror about.
    public var isUsable: Bool {
        let dx = chin.x - glabella.x, dy = chin.y - glabella.y
        return dx.isFinite && dy.isFinite && dx * dx + dy * dy >= 1
    }

    /// Tilt from the picture's vertical in degrees, positive = counter-clockwise on screen
    /// (the chin moved to the right of the glabella).
    public var tiltDegrees: Double {
        atan2(chin.x - glabella.x, chin.y - glabella.y) * 180 / .pi
    }

    /// Unit normal pointing to the image-right side of a downward midline.
    public var normal: Point {
        let dx = chin.x - glabella.x, dy = chin.y - glabella.y
        let len = (dx * dx + dy * dy).squareRoot()
        return Point(dy / len, -dx / len)
    }

    /// Signed distance of `p` from the line: negative on the image-left side.
    public func signedDistance(_ p: Point) -> Double {
        let n = normal
        return n.x * (p.x - glabella.x) + n.y * (p.y - glabella.y)
    }

    /// `p` reflected across the line.
    public func reflect(_ p: Point) -> Point {
        let n = normal, s = signedDistance(p)
        return Point(p.x - 2 * s * n.x, p.y - 2 * s * n.y)
    }

    /// The two points where the (extended) line leaves a `width`×`height` frame.
    public func endpoints(width: Double, height: Double) -> (Point, Point) {
        let dx = chin.x - glabella.x, dy = chin.y - glabella.y
        if abs(dy) >= abs(dx) {
            let k = dx / dy
            return (Point(glabella.x + (0 - glabella.y) * k, 0), Point(glabella.x + (height - glabella.y) * k, height))
        }
        let k = dy / dx
        return (Point(0, glabella.y + (0 - glabella.x) * k), Point(width, glabella.y + (width - glabella.x) * k))
    }
}
