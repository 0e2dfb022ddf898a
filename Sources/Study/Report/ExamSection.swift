import FaceMirror
import FaceMirrorCore
import Foundation

/// The exam at the top of a video's report: where the timeline came from, the timeline as a strip
/// (drawn again above the time plots, on their time axis), per movement the movement symmetry of each
/// zone with the weaker side, the faces at rest and at each peak, the synkinesis found and the resting symmetry.
public enum ExamSection {
    /// Movements listed at most (a long video's automatic timeline can hold thousands; the exam's CSV
    /// and JSON keep them all).
    public static let maxRows = 200

    /// The page's section; `exam` nil: the video has no exam outputs (said, with the likely reason).
    /// `span`: the time plots' axis (first to last frame time); `stills`: where `<stem>_exam_stills.jpg` is
    /// read from (its bytes as a `data:` address in a report that stands alone, its address on a server).
    public static func html(_ exam: ExamResult?, span: ClosedRange<Double>, stills: String? = nil) -> String {
        guard let exam else {
            return "<h2>The exam</h2>\n<p class=\"muted\" id=\"exam-missing\">No exam for this video: its coding file could not be used (the run said why), or the outputs were made by a version before the exam.</p>\n"
        }
        var html = "<h2>The exam</h2>\n"
        let source: String
        switch exam.timeline.source {
        case .codingFile: source = "the coding " + HTML.escape(exam.timeline.file ?? "")
        case .upstreamCSV: source = "the upstream coded CSV " + HTML.escape(exam.timeline.file ?? "")
        case .auto: source = "found automatically from the landmarks (check it: each segment's confidence is in its tooltip)"
        }
        html += "<p id=\"exam-source\">Timeline: \(source).</p>\n"
        html += "<figure>" + strip(exam.timeline.segments, span: span, id: "exam-strip") + "</figure>\n"
        for warning in exam.warnings { html += "<p class=\"failed\">\(HTML.escape(warning))</p>\n" }
        if let reason = exam.noMovement {
            return html + "<p id=\"exam-none\">\(HTML.escape(reason.prefix(1).uppercased() + reason.dropFirst())).</p>\n"
        }
        html += "<p>Movement symmetry: how far the weaker side moved from rest, as a percentage of the stronger side (100 % = both sides moved alike; 0 % = the weaker side did not move, or moved the other way). “–”: the zone did not move in that movement.</p>\n"
        var rows: [String] = []
        for m in exam.movements.prefix(maxRows) {
            var cells = ["<td>\(HTML.escape(m.action.rawValue))</td><td>\(HTML.escape(m.name))\(m.occurrence > 1 ? " (\(m.occurrence))" : "")</td><td class=\"n\">\(HTML.number(m.start, 1))–\(HTML.number(m.end, 1)) s</td>"]
            for zone in FaceZone.allCases {
                let z = m.zones.first { $0.zone == zone }
                let asked = zone == m.zone ? " class=\"n asked\"" : " class=\"n\""
                if let z, z.symmetry.isFinite {
                    cells.append("<td\(asked) title=\"\(HTML.escape(z.measure))\">\(HTML.number(z.symmetry, 0)) %<br><span class=\"muted\">\(HTML.escape(z.weakerSide ?? "")) weaker</span></td>")
                } else {
                    cells.append("<td\(asked)>–</td>")
                }
            }
            cells.append("<td>\(m.flags.map(HTML.escape).joined(separator: "<br>"))</td>")
            rows.append("<tr>" + cells.joined() + "</tr>")
        }
        html += """
        <table id="exam-zones"><tr><th>code</th><th>movement</th><th class="n">time</th><th class="n">brow</th><th class="n">eye</th><th class="n">mid-face</th><th class="n">mouth</th><th>notes</th></tr>
        \(rows.joined(separator: "\n"))
        </table>\(exam.movements.count > maxRows ? "\n<p id=\"exam-more\">The first \(maxRows) of \(exam.movements.count) movements are shown; <code>&lt;stem&gt;_exam.csv</code> and <code>_exam.json</code> have them all.</p>" : "")
        <p class="muted">Bold: the zone the movement asks for. The patient's sides: right is the image's left on a frontal video.</p>

        """
        if let stills {
            html += """
            <figure id="exam-stills"><img src="\(HTML.escape(stills))" alt="each movement at rest and at its peak">
            <figcaption>Each movement as measured: a typical rest frame and the peak's extreme frame (frame numbers above each row), each as right–right (the patient's right side mirrored) and left–left.\(exam.movements.count > ExamStills.maxRows ? " The sheet shows \(ExamStills.maxRows) of the \(exam.movements.count) movements (the first of each code, then the earliest); the exam's CSV has them all." : "")</figcaption></figure>

            """
        }
        var synkinesis: [String] = []
        let listed = exam.movements.count > maxRows ? " (in the first \(maxRows) movements)" : ""
        for m in exam.movements.prefix(maxRows) {
            for s in m.synkinesis where !s.flagged.isEmpty {
                let what = s.kind.hasPrefix("mouth") ? "the mouth corner moved" : "the eye narrowed"
                let value = s.kind.hasPrefix("mouth")
                    ? "right \(HTML.number(s.value.right, 3)), left \(HTML.number(s.value.left, 3)) × the intercanthal distance"
                    : "right \(HTML.number(s.value.right, 0)) %, left \(HTML.number(s.value.left, 0)) % of its rest opening"
                synkinesis.append("<li>During <b>\(HTML.escape(m.name))</b> (\(HTML.number(m.start, 1))–\(HTML.number(m.end, 1)) s) \(what) on the \(s.flagged.joined(separator: " and ")) side: \(value). Possible synkinesis.</li>")
            }
        }
        html += synkinesis.isEmpty
            ? "<p id=\"exam-synkinesis\">Synkinesis\(listed): none above the thresholds (docs/method.md, “The exam”).</p>\n"
            : "<p>Synkinesis\(listed):</p>\n<ul id=\"exam-synkinesis\">\n\(synkinesis.joined(separator: "\n"))\n</ul>\n"
        if !exam.restingSymmetry.isEmpty {
            let parts = exam.restingSymmetry.map { r in
                "\(r.zone.rawValue) (\(r.measure.replacingOccurrences(of: "_", with: " "))) \(HTML.number(r.symmetry, 0)) %" + (r.lowerSide.map { ", \($0) lower" } ?? "")
            }
            html += "<p id=\"exam-rest\">At rest, smaller side as a percentage of the larger: \(HTML.escape(parts.joined(separator: "; "))).</p>\n"
        }
        return html
    }

    /// Colours by the zone a movement asks for; rest light grey, `??` dark grey.
    private static func colour(_ s: ActionSegment) -> String {
        if s.action == .rest { return "#d9d9d9" }
        switch s.action.key?.zone ?? s.zone {
        case .brow: return "#6baed6"
        case .eye: return "#74c476"
        case .midface: return "#9e9ac8"
        case .mouth: return "#fd8d3c"
        case nil: return "#737373"
        }
    }

    /// The timeline as a strip of coloured blocks, on the time plots' axis (same width and margins).
    public static func strip(_ segments: [ActionSegment], span: ClosedRange<Double>, id: String) -> String {
        let width = 900.0, left = 62.0, right = 12.0, height = 34.0
        let t0 = span.lowerBound, t1 = max(span.upperBound, t0 + 1e-6), plotW = width - left - right
        func x(_ t: Double) -> Double { left + (min(max(t, t0), t1) - t0) / (t1 - t0) * plotW }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        // More segments than columns (a long video's automatic timeline): drawn per column, not editable.
        let binned = segments.count > Int(plotW)
        var parts = ["<svg id=\"\(id)\" class=\"exam-strip\" \(SVGPlot.axis(t0, t1, from: left, to: left + plotW))\(binned ? " data-binned=\"\(segments.count)\"" : "") viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"the exam's timeline\" xmlns=\"http://www.w3.org/2000/svg\">",
                     "<text x=\"4\" y=\"21\" font-size=\"11\">timeline</text>", "<g id=\"\(id)-segments\">"]
        if binned {
            parts += columns(segments, x: x, left: left, columns: Int(plotW))
        } else {
            for s in segments {
                let x0 = x(s.start), w = max(0.5, x(s.end) - x0)
                let tip = "\(s.action.rawValue) \(s.action.name), \(String(format: "%.2f", s.start))–\(String(format: "%.2f", s.end)) s, \(s.source.rawValue)"
                    + (s.source == .auto ? String(format: ", confidence %.2f", s.confidence) : "")
                parts.append("<rect class=\"segment\" data-action=\"\(HTML.escape(s.action.rawValue))\" data-start=\"\(s.start)\" data-end=\"\(s.end)\" x=\"\(f(x0))\" y=\"6\" width=\"\(f(w))\" height=\"22\" fill=\"\(colour(s))\" stroke=\"#fff\"><title>\(HTML.escape(tip))</title></rect>")
                if w >= 18 {
                    parts.append("<text x=\"\(f(x0 + w / 2))\" y=\"21\" font-size=\"11\" text-anchor=\"middle\">\(HTML.escape(s.action.rawValue))</text>")
                }
            }
        }
        parts += ["</g>", "</svg>"]
        return parts.joined(separator: "\n")
    }

    /// The strip `id` drawn again on the same axis (above the time plots), its segments those of the
    /// first (`<use>`): a long timeline is written once.
    public static func stripCopy(of id: String, span: ClosedRange<Double>, id copy: String) -> String {
        let width = 900.0, left = 62.0, right = 12.0, height = 34.0
        let t0 = span.lowerBound, t1 = max(span.upperBound, t0 + 1e-6)
        return "<svg id=\"\(copy)\" class=\"exam-strip\" \(SVGPlot.axis(t0, t1, from: left, to: width - right)) viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"the exam's timeline\" xmlns=\"http://www.w3.org/2000/svg\">\n<text x=\"4\" y=\"21\" font-size=\"11\">timeline</text>\n<use href=\"#\(id)-segments\"/>\n</svg>"
    }

    /// One rect per run of columns shown as the same movement: in each column the rarest movement of
    /// the timeline that touches it (a blink every few seconds does not hide the one smile beside it),
    /// rest only where no movement does; its tooltip names what the run covers.
    private static func columns(_ segments: [ActionSegment], x: (Double) -> Double, left: Double, columns: Int) -> [String] {
        // Per column, how much of it each code covers.
        var cover = [[ExamAction: Double]](repeating: [:], count: columns)
        var colourOf: [ExamAction: String] = [:], count: [ExamAction: Int] = [:]
        for s in segments {
            colourOf[s.action] = colour(s)
            count[s.action, default: 0] += 1
            let a = x(s.start) - left, b = x(s.end) - left
            var c = max(0, Int(a))
            while c < columns, Double(c) < b {
                cover[c][s.action, default: 0] += min(b, Double(c + 1)) - max(a, Double(c))
                c += 1
            }
        }
        func dominant(_ c: Int) -> ExamAction? {
            let moving = cover[c].filter { $0.key != .rest }
            return (moving.isEmpty ? cover[c] : moving).min { a, b in
                (count[a.key] ?? 0, -a.value, a.key.rawValue) < (count[b.key] ?? 0, -b.value, b.key.rawValue)
            }?.key
        }
        var out: [String] = []
        var c = 0
        while c < columns {
            guard let action = dominant(c) else { c += 1; continue }
            var end = c + 1
            while end < columns, dominant(end) == action { end += 1 }
            let codes = Set((c..<end).flatMap { cover[$0].keys }).sorted { $0.rawValue < $1.rawValue }
            let what = codes.map { "\($0.rawValue) \($0.name)" }.joined(separator: ", ")
            out.append("<rect x=\"\(Int(left) + c)\" y=\"6\" width=\"\(end - c)\" height=\"22\" fill=\"\(colourOf[action] ?? "#737373")\"><title>\(HTML.escape(what))</title></rect>")
            c = end
        }
        return out
    }
}
