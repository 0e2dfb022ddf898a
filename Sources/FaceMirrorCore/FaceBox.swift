/// An axis-aligned face box in frame pixels, with the detector's score where there is one.
public struct FaceBox: Sendable, Equatable, CustomStringConvertible {
    public var left: Double, top: Double, right: Double, bottom: Double
    public var score: Double
    /// In-plane rotation of the face in degrees (eye line, counter-clockwise on screen), when known.
    public var roll: Double = 0

    public init(left: Double, top: Double, right: Double, bottom: Double, score: Double = .nan, roll: Double = 0) {
        self.left = left; self.top = top; self.right = right; self.bottom = bottom; self.score = score; self.roll = roll
    }

    public var width: Double { right - left }
    public var height: Double { bottom - top }
    public var area: Double { max(0, width) * max(0, height) }
    public var centre: Point { Point((left + right) / 2, (top + bottom) / 2) }
    public var isFinite: Bool { left.isFinite && top.isFinite && right.isFinite && bottom.isFinite }

    /// The box grown (or shrunk) by `factor` about its centre.
    public func scaled(by factor: Double) -> FaceBox {
        let c = centre, hw = width * factor / 2, hh = height * factor / 2
        return FaceBox(left: c.x - hw, top: c.y - hh, right: c.x + hw, bottom: c.y + hh, score: score, roll: roll)
    }

    /// The part of the box inside a `width`×`height` frame (empty, with zero area, when none is).
    public func clipped(width: Int, height: Int) -> FaceBox {
        let l = min(max(left, 0), Double(width)), r = min(max(right, 0), Double(width))
        let t = min(max(top, 0), Double(height)), b = min(max(bottom, 0), Double(height))
        return FaceBox(left: l, top: t, right: max(l, r), bottom: max(t, b), score: score, roll: roll)
    }

    /// Intersection over union with another box.
    public func iou(_ o: FaceBox) -> Double {
        let w = min(right, o.right) - max(left, o.left), h = min(bottom, o.bottom) - max(top, o.top)
        guard w > 0, h > 0 else { return 0 }
        let inter = w * h
        return inter / (area + o.area - inter)
    }

    /// For messages: corners rounded to a tenth of a pixel.
    public var description: String {
        func r(_ v: Double) -> String { v.isFinite ? String(Double((v * 10).rounded()) / 10) : "\(v)" }
        return "box (\(r(left)), \(r(top)))–(\(r(right)), \(r(bottom)))"
    }
}
