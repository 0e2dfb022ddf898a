import Foundation

/// A point in frame pixels.
public struct Point: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public init(_ x: Double, _ y: Double) { self.x = x; self.y = y }
}

/// One face's landmarks in frame pixels, interleaved x, y, with the layout that names them.
public struct FaceLandmarks: Sendable, Equatable {
    public let layout: LandmarkLayout
    public var xy: [Float]

    public init(layout: LandmarkLayout, xy: [Float]) {
        precondition(xy.count == layout.count * 2, "expected \(layout.count) points")
        self.layout = layout
        self.xy = xy
    }

    public subscript(i: Int) -> Point { Point(Double(xy[2 * i]), Double(xy[2 * i + 1])) }

    public var allFinite: Bool { xy.allSatisfy { $0.isFinite } }

    public func mean(of indices: [Int]) -> Point {
        var x = 0.0, y = 0.0
        for i in indices { x += Double(xy[2 * i]); y += Double(xy[2 * i + 1]) }
        return Point(x / Double(indices.count), y / Double(indices.count))
    }

    /// Smallest axis-aligned box holding every point.
    public var bounds: (minX: Double, minY: Double, maxX: Double, maxY: Double) { bounds(of: Array(0..<layout.count)) }

    /// Smallest axis-aligned box holding the given points.
    public func bounds(of indices: [Int]) -> (minX: Double, minY: Double, maxX: Double, maxY: Double) {
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
        for i in indices {
            let x = Double(xy[2 * i]), y = Double(xy[2 * i + 1])
            minX = min(minX, x); maxX = max(maxX, x); minY = min(minY, y); maxY = max(maxY, y)
        }
        return (minX, minY, maxX, maxY)
    }

    public var midline: Midline { Midline(glabella: mean(of: layout.glabella), chin: self[layout.chin]) }
}

/// The facial midline through the glabella and the chin.
public struct Midline: Sendable, Equatable {
    public let glabella: Point
    public let chin: Point

    public init(glabella: Point, chin: Point) {
        self.glabella = glabella
        self.chin = chin
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
