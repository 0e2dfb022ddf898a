import Foundation

/// A time plot drawn as SVG by the tool itself: series over the video's time (one path vertex per
/// frame with a value; a frame without one breaks the line), optional horizontal bands, and the
/// spans of frames without a face shaded. Needs no script to show.
struct SVGPlot {
    struct Series {
        let name: String
        let colour: String
        let values: [Double]
        var dashed = false
    }

    struct Band {
        let from: Double
        let to: Double
        let colour: String
        let label: String
    }

    let title: String
    let yLabel: String
    let times: [Double]
    var series: [Series] = []
    var bands: [Band] = []
    /// Frames to shade (no face).
    var shaded: [Bool] = []
    /// Drawn even when the values stay inside a smaller range.
    var yRange: ClosedRange<Double>?

    // The legend has a row of its own between the title and the plot: it never covers a curve.
    private let width = 900.0, height = 238.0
    private let left = 62.0, right = 12.0, top = 42.0, bottom = 34.0

    func svg(id: String) -> String {
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
        parts.append("<svg id=\"\(id)\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(HTML.escape(title))\" xmlns=\"http://www.w3.org/2000/svg\">")
        parts.append("<text x=\"\(f(left))\" y=\"15\" font-size=\"13\" font-weight=\"bold\">\(HTML.escape(title))</text>")
        for b in bands {
            let yTop = y(min(hi, b.to)), yBottom = y(max(lo, b.from))
            guard yBottom > yTop else { continue }
            parts.append("<rect class=\"band\" x=\"\(f(left))\" y=\"\(f(yTop))\" width=\"\(f(plotW))\" height=\"\(f(yBottom - yTop))\" fill=\"\(b.colour)\" fill-opacity=\"0.18\"><title>\(HTML.escape(b.label))</title></rect>")
        }
        // Frames without a face: one shaded span per run, half a frame either side.
        let step = times.count > 1 ? (t1 - t0) / Double(times.count - 1) : 1
        var i = 0
        while i < shaded.count {
            guard shaded[i] else { i += 1; continue }
            var j = i
            while j + 1 < shaded.count && shaded[j + 1] { j += 1 }
            let a = max(left, x(times[i] - step / 2)), b = min(left + plotW, x(times[j] + step / 2))
            parts.append("<rect class=\"no-face\" x=\"\(f(a))\" y=\"\(f(top))\" width=\"\(f(max(0.5, b - a)))\" height=\"\(f(plotH))\" fill=\"#888\" fill-opacity=\"0.25\"><title>no face</title></rect>")
            i = j + 1
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
        // Series: a path of every frame with a value.
        for (k, s) in series.enumerated() {
            var d = "", points = 0, pen = false
            for (t, v) in zip(times, s.values) {
                guard v.isFinite else { pen = false; continue }
                d += (pen ? "L" : "M") + f(x(t)) + " " + f(y(min(max(v, lo), hi))) + " "
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
