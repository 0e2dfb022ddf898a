import FaceMirror
import FaceMirrorCore
import Foundation

/// `<stem>_report.html`: one self-contained page per video, made from its output files alone (the
/// CSVs, the JSON summaries, the provenance record and the stills), so that `facemirror report`
/// makes it again without the video: what made the outputs, stills at a representative frame and
/// at the frame of largest asymmetry, time plots of each zone's asymmetry, the hemifaces' action
/// units and the head yaw (frames without a face shaded), and the per-video summary table.
public struct VideoReport {
    public let directory: URL
    public let stem: String

    public init(directory: URL, stem: String) {
        self.directory = directory
        self.stem = stem
    }

    public var path: URL { file(OutputNames.report) }

    private func file(_ suffix: String) -> URL { directory.appendingPathComponent(stem + suffix) }

    /// Writes the page (a temporary renamed over it) and returns its path.
    @discardableResult
    public func write() throws -> URL {
        let html = try render()
        let temp = directory.appendingPathComponent(TemporaryName.next(suffix: ".html"))
        do {
            try Data(html.utf8).write(to: temp)
            guard rename(temp.path, path.path) == 0 else { throw StudyStateError(file: path.path, reason: String(cString: strerror(errno))) }
        } catch {
            unlink(temp.path)
            throw OutputError.cannotWrite(path: path.path, reason: ErrorText.describe(error))
        }
        return path
    }

    public func render() throws -> String {
        for suffix in [OutputNames.provenance, OutputNames.asymmetrySummary, OutputNames.asymmetry, OutputNames.landmarks]
        where !FileManager.default.fileExists(atPath: file(suffix).path) {
            throw ReportError.missing(file: file(suffix).path)
        }
        func read<T: Decodable>(_ type: T.Type, _ suffix: String) throws -> T {
            let url = file(suffix)
            do {
                return try JSONOutput.decoder().decode(type, from: Data(contentsOf: url))
            } catch {
                throw ReportError.unreadable(file: url.path, reason: ErrorText.describe(error))
            }
        }
        let provenance = try read(ProvenanceRecord.self, OutputNames.provenance)
        let summary = try read(AsymmetrySummary.self, OutputNames.asymmetrySummary)
        let table = try CSVTable(path: file(OutputNames.asymmetry).path)
        let landmarks = try CSVTable(path: file(OutputNames.landmarks).path)
        let times = table.column("timestamp")
        let noFace = table.column("success").map { $0 != 1 }

        var body = "<h1>Facial exam report: \(HTML.escape(stem))</h1>\n"
        let duration = (times.last ?? 0) + (times.count > 1 ? (times.last! - times.first!) / Double(times.count - 1) : 0)
        body += "<p class=\"muted\">\(HTML.escape(provenance.input.path)) · \(provenance.input.width)×\(provenance.input.height) · \(summary.frames) frames, \(HTML.number(duration, 1)) s · face on \(summary.framesWithFace) (\(HTML.number(summary.frames > 0 ? 100 * Double(summary.framesWithFace) / Double(summary.frames) : .nan, 1)) %) · made \(HTML.escape(provenance.finished)) by facemirror \(HTML.escape(provenance.facemirrorVersion))</p>\n"
        body += qualitySection(provenance.landmarkQuality, leftOut: summary.framesLeftOut)
        // The exam's answer comes first; a video without exam outputs says so.
        let exam = FileManager.default.fileExists(atPath: file(OutputNames.examJSON).path) ? try read(ExamResult.self, OutputNames.examJSON) : nil
        let span = (times.first ?? 0)...max(times.first ?? 0, times.last ?? 0)
        body += ExamSection.html(exam, span: span, stills: (try? Data(contentsOf: file(OutputNames.examStills))).map { "data:image/jpeg;base64," + $0.base64EncodedString() })
        body += summarySection(summary)
        body += stillsSection(summary, times: times)
        body += plotsSection(table, landmarks: landmarks, times: times, noFace: noFace, exam: exam, span: span)
        body += measuresSection(summary)
        body += provenanceSection(provenance)
        return HTML.page(title: "Facial exam report: \(stem) (\(String(provenance.finished.prefix(10))), facemirror)", body: body)
    }

    /// The frames with poor landmarks, why, and the warning above the upstream tool's 30 %.
    private func qualitySection(_ q: LandmarkQualitySummary?, leftOut: Int?) -> String {
        guard let q else { return "" }
        guard q.poorFrames > 0 else {
            return "<p id=\"landmark-quality\">Landmark quality: good in all \(q.framesWithFace) frames with a face.</p>\n"
        }
        var html = "<p id=\"landmark-quality\">Landmark quality: poor in \(q.poorFrames) of \(q.framesWithFace) frames with a face (\(HTML.number(100 * q.poorShare, 1)) %): \(HTML.escape(q.reasons)). "
            + "Their measures stay in the CSVs, flagged in the <code>quality_issue</code> column, and \(leftOut.map { "the \($0) are" } ?? "are") left out of the summary below.</p>\n"
        if let warning = q.warning {
            html += "<p class=\"failed\" id=\"landmark-warning\">Warning: \(HTML.escape(warning)).</p>\n"
        }
        return html
    }

    /// An index |L − R| / (|L| + |R|) in words: how much larger the larger side is than the smaller.
    static func indexInWords(_ d: Double) -> String {
        guard d.isFinite else { return "–" }
        guard d < 1 else { return "one side at zero" }
        let larger = 100 * ((1 + d) / (1 - d) - 1)
        return larger < 0.5 ? "sides equal" : "larger side \(HTML.number(larger, 0)) % larger"
    }

    private func summarySection(_ s: AsymmetrySummary) -> String {
        var rows = s.zones.map { z in
            "<tr><td>\(z.name)</td><td class=\"n\">\(HTML.number(z.index.median, 2))</td><td>\(VideoReport.indexInWords(z.index.median))</td><td class=\"n\">\(HTML.number(z.index.p95, 2))</td><td>\(VideoReport.indexInWords(z.index.p95))</td></tr>"
        }
        rows.append("<tr><th>overall</th><td class=\"n\" id=\"overall-median\">\(HTML.number(s.overallIndex.median, 2))</td><td>\(VideoReport.indexInWords(s.overallIndex.median))</td><td class=\"n\">\(HTML.number(s.overallIndex.p95, 2))</td><td>\(VideoReport.indexInWords(s.overallIndex.p95))</td></tr>")
        var html = """
        <h2>Asymmetry over the whole video</h2>
        <p>The symmetric index |L − R| / (|L| + |R|) of the landmark measures, per zone, over every frame (rest and movement together; the exam above separates them): 0 when both sides are equal; 0.05 when one side is about 10 % larger than the other, 0.10 about 22 %, 0.20 about 50 %.</p>
        <table id="zones"><tr><th>zone</th><th class="n">median</th><th>in words</th><th class="n">95th percentile</th><th>in words</th></tr>
        \(rows.joined(separator: "\n"))
        </table>

        """
        if let zones = s.actionUnitZones, let units = s.actionUnits {
            let r = (zones + units).map { a in
                "<tr><td>\(HTML.escape(ActionUnitName.labelled(a.name)))</td><td class=\"n\">\(HTML.number(a.meanRight, 2))</td><td class=\"n\">\(HTML.number(a.meanLeft, 2))</td><td class=\"n\">\(HTML.number(a.meanDifference, 2))</td><td class=\"n\">\(HTML.number(a.p95AbsoluteDifference, 2))</td><td class=\"n\">\(HTML.number(100 * a.oneSidedActive, 1)) %</td><td class=\"n\">\(a.framesMeasured)</td></tr>"
            }
            html += """
            <h3>Action units, each hemiface</h3>
            <p>Intensity 0 (absent) to 5 (maximal), averaged over the frames; the right hemiface is the patient's right side mirrored. “One side active”: the share of frames in which one side reaches intensity 1 and the other does not.</p>
            <table id="au"><tr><th>zone / action unit</th><th class="n">right mean</th><th class="n">left mean</th><th class="n">mean L − R</th><th class="n">95th pct |L − R|</th><th class="n">one side active</th><th class="n">frames</th></tr>
            \(r.joined(separator: "\n"))
            </table>

            """
        }
        return html
    }

    private func stillsSection(_ s: AsymmetrySummary, times: [Double]) -> String {
        var figures: [String] = []
        for (suffix, frame, what) in [(OutputNames.stillsRepresentative, s.representativeFrame, "a representative frame (asymmetry nearest the video's median)"),
                                      (OutputNames.stillsLargest, s.largestAsymmetryFrame, "the frame of largest asymmetry")] {
            guard let data = try? Data(contentsOf: file(suffix)) else { continue }
            let when = frame.map { f in "frame \(f)" + (f < times.count ? String(format: ", %.2f s", times[f]) : "") } ?? ""
            figures.append("""
            <figure><img src="data:image/jpeg;base64,\(data.base64EncodedString())" alt="\(HTML.escape(what))">
            <figcaption>\(HTML.escape(what)), \(when): the frame with its midline · right–right (the patient's right side mirrored) · left–left</figcaption></figure>
            """)
        }
        guard !figures.isEmpty else { return "<h2>Stills</h2>\n<p class=\"muted\">No frame has a face.</p>\n" }
        return "<h2>Stills</h2>\n" + figures.joined(separator: "\n") + "\n"
    }

    private func plotsSection(_ t: CSVTable, landmarks: CSVTable, times: [Double], noFace: [Bool], exam: ExamResult?, span: ClosedRange<Double>) -> String {
        let plots = VideoPlots.figures(t, landmarks: landmarks, times: times, noFace: noFace)
        return "<h2>Over time</h2>\n<p class=\"muted\">Grey: frames without a face. Differences are the patient's left minus right.</p>\n"
            + (exam.map { _ in "<figure>" + ExamSection.stripCopy(of: "exam-strip", span: span, id: "exam-strip-plots") + "</figure>\n" } ?? "")
            + plots.map { "<figure>\($0)</figure>" }.joined(separator: "\n") + "\n"
    }

    private func measuresSection(_ s: AsymmetrySummary) -> String {
        let rows = s.measures.map { m -> String in
            let cells = [m.right.median, m.left.median, m.right.rangeOfMotion, m.left.rangeOfMotion, m.difference.median, m.index?.median]
            return "<tr data-measure=\"\(m.name)\"><td>\(m.name)</td><td>\(m.zone)</td>" + cells.map { "<td class=\"n\">\(HTML.number($0, 4))</td>" }.joined() + "<td>\(HTML.escape(m.unit))</td></tr>"
        }
        return """
        <h2>Per measure</h2>
        <p>Medians over the frames with a face; range of motion = 95th − 5th percentile of a side (how far it moves over the video).</p>
        <table id="measures"><tr><th>measure</th><th>zone</th><th class="n">right median</th><th class="n">left median</th><th class="n">right range of motion</th><th class="n">left range of motion</th><th class="n">L − R median</th><th class="n">index median</th><th>unit</th></tr>
        \(rows.joined(separator: "\n"))
        </table>

        """
    }

    private func provenanceSection(_ p: ProvenanceRecord) -> String {
        let models = p.models.map { m in
            "<tr><td>\(HTML.escape(m.role))</td><td>\(HTML.escape(m.name))</td><td><code>\(HTML.escape(m.path ?? "built in"))</code></td><td><code>\(HTML.escape(String((m.sha256 ?? "").prefix(16))))</code></td></tr>"
        }
        let options = p.options.sorted { $0.key < $1.key }.compactMap { o -> String? in
            guard let (name, value) = VideoReport.optionInWords(o.key, o.value) else { return nil }
            return "<tr><td>\(HTML.escape(name))</td><td>\(HTML.escape(value))</td></tr>"
        }
        let libraries = p.libraries.sorted { $0.key < $1.key }.map { "\(HTML.escape($0.key)) \(HTML.escape($0.value))" }.joined(separator: " · ")
        return """
        <h2>Provenance</h2>
        <p>facemirror \(HTML.escape(p.facemirrorVersion)); command: <code>\(HTML.escape(p.commandLine.joined(separator: " ")))</code></p>
        <p>Input: <code>\(HTML.escape(p.input.path))</code>, SHA-256 <code>\(HTML.escape(p.input.sha256))</code>, \(HTML.escape(p.input.codec)), \(p.input.width)×\(p.input.height)</p>
        <table id="models"><tr><th>role</th><th>model</th><th>file</th><th>SHA-256</th></tr>
        \(models.joined(separator: "\n"))
        </table>
        <h3>Settings</h3>
        <table id="options">\(options.joined(separator: "\n"))</table>
        <p class="muted">Libraries: \(libraries)</p>

        """
    }

    /// A recorded option as a reader of the report understands it; nil for the internal ones that
    /// change no number (how many threads, the pipeline's arrangement, the quality checks' version).
    static func optionInWords(_ key: String, _ value: String) -> (String, String)? {
        let hidden: Set<String> = ["threads", "encoder_threads", "ort_threads", "pipeline", "landmark_quality", "exam", "overwrite"]
        guard !hidden.contains(key) else { return nil }
        let names: [String: String] = [
            "debug_video": "debug video written", "preset": "video encoder speed (x264 preset)", "crf": "video quality (x264 CRF, lower is better)",
            "seam_px": "seam across the midline (pixels)", "mm_per_px": "millimetres per pixel", "raw": "landmarks used as detected on every frame",
            "smoothing": "landmark smoothing over frames", "allow_truncated": "damaged file's readable part kept", "detector": "face detector",
            "landmarks": "landmark model", "action_units": "action units (OpenFace 3.0's network)", "openface2_aus": "OpenFace 2 action units",
            "hemiface_landmarks": "hemiface landmarks for OpenFace 2", "au_baseline": "action units' neutral face", "actions": "exam coding file",
            "provider": "ONNX Runtime provider", "ort_level": "ONNX Runtime graph optimisation",
        ]
        let words: [String: String] = ["true": "yes", "false": "no", "none": "none", "on": "on", "video": "the video's (OpenFace 2.2)", "rest": "the exam's rest"]
        return (names[key] ?? key.replacingOccurrences(of: "_", with: " "), words[value] ?? value)
    }
}
