import Foundation

/// A time plot drawn as SVG by the tool itself: series over the video's time (one path vertex per
/// frame with a value; a frame without one breaks the line), optional horizontal bands, and the
/// spans of frames without a face shaded. Needs no script to show.
public struct SVGPlot {
    public struct Series {
        public let name: String
        public let colour: String
        public let values: [Double]
        public var dashed = false

        public init(name: String, colour: String, values: [Double], dashed: Bool = false) {
            self.name = name
            self.colour = colour
            self.values = values
            self.dashed = dashed
        }
    }

    public struct Band {
        let from: Double
        let to: Double
        let colour: String
        let label: String
    }

    public let title: String
    public let yLabel: String
    public let times: [Double]
    public var series: [Series] = []
    var bands: [Band] = []
    /// Frames to shade (no face).
    public var shaded: [Bool] = []
    /// Drawn even when the values stay inside a smaller range.
    public var yRange: ClosedRange<Double>?

    public init(title: String, yLabel: String, times: [Double], shaded: [Bool] = []) {
        self.title = title
        self.yLabel = yLabel
        self.times = times
        self.shaded = shaded
    }

    // The legend has a row of its own between the title and the plot: it never covers a curve.
    private let width = 900.0, height = 238.0
    private let left = 62.0, right = 12.0, top = 42.0, bottom = 34.0

    public func svg(id: String) -> String {
        let t0 = times.first ?? 0, t1 = max(times.last ?? 1, t0 + 1e-6)
        var lo = yRange?.lowerBound ?? .infinity, hi = yRange?.upperBound ?? -.infinity
        for s in series { for v in s.values where v.isFinite { lo = min(lo, v); hi = max(hi, v) } }
        for b in bands { lo = min(lo, max(b.from, yRange?.lowerBound ?? b.from)); hi = max(hi, min(b.to, yRange?.upperBound ?? b.to)) }
        if !lo.isFinite || !hi.isFinite { lo = 0; hi = 1 }
        if hi - lo < 1e-9 { lo -= 0.5; hi += 0.5 }
        let pad = (hi - lo) * 0.05
        lo -= pad; hi += pad
        let plotW = width - left - right, plotH = height - top - bottom
        func x(_ t: Double) -> Double { left + (t - t0) / (t1 - t0) * plotW }
        func y(_ v: Double) -> Double { top + (hi - v) / (hi - lo) * plotH }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }

        var parts: [String] = []
        parts.append("<svg id=\"\(id)\" class=\"plot\" \(SVGPlot.axis(t0, t1, from: left, to: left + plotW)) viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(HTML.escape(title))\" xmlns=\"http://www.w3.org/2000/svg\">")
        parts.append("<text x=\"\(f(left))\" y=\"15\" font-size=\"13\" font-weight=\"bold\">\(HTML.escape(title))</text>")
        for b in bands {
            let yTop = y(min(hi, b.to)), yBottom = y(max(lo, b.from))
            guard yBottom > yTop else { continue }
            parts.append("<rect class=\"band\" x=\"\(f(left))\" y=\"\(f(yTop))\" width=\"\(f(plotW))\" height=\"\(f(yBottom - yTop))\" fill=\"\(b.colour)\" fill-opacity=\"0.18\"><title>\(HTML.escape(b.label))</title></rect>")
        }
        // Frames without a face: one shaded span per run, half a frame either side.
        let step = times.count > 1 ? (t1 - t0) / Double(times.count - 1) : 1
        // Runs closer than one unit of the drawing are drawn as one (an hour of flickering detection stays a few rects).
        var spans: [(a: Double, b: Double)] = []
        var i = 0
        while i < shaded.count {
            guard shaded[i] else { i += 1; continue }
            var j = i
            while j + 1 < shaded.count && shaded[j + 1] { j += 1 }
            let a = max(left, x(times[i] - step / 2)), b = min(left + plotW, x(times[j] + step / 2))
            if let last = spans.last, a - last.b < 1 { spans[spans.count - 1].b = max(last.b, b) } else { spans.append((a, b)) }
            i = j + 1
        }
        for (a, b) in spans {
            parts.append("<rect class=\"no-face\" x=\"\(f(a))\" y=\"\(f(top))\" width=\"\(f(max(0.5, b - a)))\" height=\"\(f(plotH))\" fill=\"#888\" fill-opacity=\"0.25\"><title>no face</title></rect>")
        }
        // Axes with ticks.
        parts.append("<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotW))\" height=\"\(f(plotH))\" fill=\"none\" stroke=\"#999\"/>")
        for v in SVGPlot.ticks(lo, hi, count: 5) {
            parts.append("<line x1=\"\(f(left - 4))\" x2=\"\(f(left))\" y1=\"\(f(y(v)))\" y2=\"\(f(y(v)))\" stroke=\"#999\"/><text x=\"\(f(left - 6))\" y=\"\(f(y(v) + 4))\" font-size=\"11\" text-anchor=\"end\">\(SVGPlot.label(v))</text>")
        }
        for t in SVGPlot.ticks(t0, t1, count: 8) {
            parts.append("<line x1=\"\(f(x(t)))\" x2=\"\(f(x(t)))\" y1=\"\(f(top + plotH))\" y2=\"\(f(top + plotH + 4))\" stroke=\"#999\"/><text x=\"\(f(x(t)))\" y=\"\(f(top + plotH + 16))\" font-size=\"11\" text-anchor=\"middle\">\(SVGPlot.label(t))</text>")
        }
        parts.append("<text x=\"\(f(left + plotW))\" y=\"\(f(height - 4))\" font-size=\"11\" text-anchor=\"end\">time (s)</text>")
        parts.append("<text x=\"12\" y=\"\(f(top + plotH / 2))\" font-size=\"11\" text-anchor=\"middle\" transform=\"rotate(-90 12 \(f(top + plotH / 2)))\">\(HTML.escape(yLabel))</text>")
        // Series: a path through every frame with a value, or per column its extremes (`vertices`).
        for (k, s) in series.enumerated() {
            var d = "", points = 0, pen = false
            for vertex in SVGPlot.vertices(times.map(x), s.values, from: left, columns: Int(plotW)) {
                guard let (px, v) = vertex else { pen = false; continue }
                d += (pen ? "L" : "M") + f(px) + " " + f(y(min(max(v, lo), hi))) + " "
                pen = true
                points += 1
            }
            parts.append("<path class=\"series\" data-series=\"\(HTML.escape(s.name))\" data-points=\"\(points)\" d=\"\(d)\" fill=\"none\" stroke=\"\(s.colour)\" stroke-width=\"1.5\"\(s.dashed ? " stroke-dasharray=\"5 3\"" : "")/>")
            let lx = left + 8 + Double(k) * 150
            parts.append("<line class=\"legend\" x1=\"\(f(lx))\" x2=\"\(f(lx + 18))\" y1=\"\(f(top - 11))\" y2=\"\(f(top - 11))\" stroke=\"\(s.colour)\" stroke-width=\"2\"\(s.dashed ? " stroke-dasharray=\"5 3\"" : "")/><text x=\"\(f(lx + 22))\" y=\"\(f(top - 7))\" font-size=\"11\">\(HTML.escape(s.name))</text>")
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }

    /// The time axis as attributes (times in seconds at the drawing's x from `left` to `right`, in
    /// viewBox units), for a page that draws a cursor on it or seeks where it is clicked.
    public static func axis(_ t0: Double, _ t1: Double, from left: Double, to right: Double) -> String {
        "data-t0=\"\(t0)\" data-t1=\"\(t1)\" data-x0=\"\(left)\" data-x1=\"\(right)\""
    }

    /// A series' path as (x, value) vertices, nil where the pen lifts (frames without a value). While the
    /// frames are fewer than twice the plot's columns (viewBox units), one vertex per frame; beyond, per
    /// column the lowest and the highest value in the order they came: an hour of video draws with
    /// every peak it has, in a page of kilobytes, not megabytes.
    public static func vertices(_ xs: [Double], _ values: [Double], from left: Double, columns: Int) -> [(Double, Double)?] {
        let n = min(xs.count, values.count)
        guard n > 2 * columns else { return (0..<n).map { values[$0].isFinite ? (xs[$0], values[$0]) : nil } }
        var out: [(Double, Double)?] = []
        var column = Int.min, low: (i: Int, v: Double)?, high: (i: Int, v: Double)?
        func flush() {
            guard column != Int.min else { return }
            guard let low, let high else { out.append(nil); return }
            let x = left + Double(column) + 0.5
            for point in (low.i <= high.i ? [low, high] : [high, low]) { out.append((x, point.v)) }
        }
        for i in 0..<n {
            let c = min(columns - 1, max(0, Int((xs[i] - left).rounded(.down))))
            if c != column {
                flush()
                column = c
                low = nil
                high = nil
            }
            let v = values[i]
            guard v.isFinite else { continue }
            if low == nil || v < low!.v { low = (i, v) }
            if high == nil || v > high!.v { high = (i, v) }
        }
        flush()
        return out
    }

    /// About `count` round tick values between `lo` and `hi`.
    static func ticks(_ lo: Double, _ hi: Double, count: Int) -> [Double] {
        let raw = (hi - lo) / Double(max(1, count))
        guard raw > 0, raw.isFinite else { return [lo] }
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        var v = (lo / step).rounded(.up) * step, out: [Double] = []
        while v <= hi + step * 1e-9 { out.append(abs(v) < step * 1e-9 ? 0 : v); v += step }
        return out
    }

    static func label(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e6 { return String(Int(v)) }
        return String(format: abs(v) < 0.1 ? "%.3f" : "%.2f", v).replacingOccurrences(of: #"0+$"#, with: "", options: .regularExpression)
    }
}
