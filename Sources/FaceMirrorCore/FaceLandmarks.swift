import Foundation

/// One face's landmarks in frame pixels, interleaved x, y, with the layout that names them.
public struct FaceLandmarks: Sendable, Equatable {
    public let layout: LandmarkLayout
    public var xy: [Float]
    /// Per point, how far the model's separate fits of this face (from a few box sizes) lie from their
    /// mean, in pixels (root mean square); nil when the model fitted once. A point the picture pins
    /// down lands in one place whatever the start; a covered one follows where the fit started.
    public var spread: [Float]?

    public init(layout: LandmarkLayout, xy: [Float], spread: [Float]? = nil) {
        precondition(xy.count == layout.count * 2, "expected \(layout.count) points")
        precondition(spread == nil || spread?.count == layout.count, "expected a spread per point")
        self.layout = layout
        self.xy = xy
        self.spread = spread
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
