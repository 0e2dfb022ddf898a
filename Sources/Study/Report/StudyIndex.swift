import FaceMirror
import FaceMirrorCore
import Foundation

/// `index.html` of a study: one row per video (status and reason, frames, face %, median |yaw|, the
/// median asymmetry index per zone) linking to each video's report, which it makes again first from
/// the video's output files. Reads without a script; a small inline one sorts by a clicked column.
public struct StudyIndex {
    public static let fileName = "index.html"
    public let folder: StudyFolder

    public init(folder: StudyFolder) { self.folder = folder }

    /// What `write` made.
    public struct Result {
        public let index: URL
        public let reports: Int
        /// Videos whose report could not be made, and why.
        public let problems: [(video: String, error: Error)]
    }

    /// Makes each video's report and the index. An existing index.html is replaced only when facemirror
    /// wrote it, or with `overwrite` (`ReplaceableFile`); checked before any report is made.
    public func write(overwrite: Bool = false) throws -> Result {
        let index = folder.directory.appendingPathComponent(StudyIndex.fileName)
        try ReplaceableFile.check(index, overwrite: overwrite) { String(decoding: $0, as: UTF8.self).contains("<meta name=\"generator\" content=\"facemirror\">") }
        let records = try folder.records()
        var rows: [String] = [], made = 0, problems: [(video: String, error: Error)] = []
        for r in records {
            guard r.containedPath != nil else {
                // A row naming a place outside the study (a tampered state file): no report is written for it.
                problems.append((r.path, StudyStateError(file: folder.directory.path, reason: "the state names \(r.path), outside the study; left alone")))
                rows.append(row(r, link: nil, exam: nil))
                continue
            }
            let relativeFolder = (r.path as NSString).deletingLastPathComponent
            let stem = OutputNames.stem(of: r.path)
            let report = VideoReport(directory: relativeFolder.isEmpty ? folder.directory : folder.directory.appendingPathComponent(relativeFolder), stem: stem)
            var link: String?
            if r.status == .done || r.status == .noFace {
                do {
                    try report.write()
                    made += 1
                    link = StudyIndex.href((relativeFolder.isEmpty ? "" : relativeFolder + "/") + stem + OutputNames.report)
                } catch {
                    problems.append((r.path, error))
                }
            }
            rows.append(row(r, link: link, exam: StudyExamTable.exam(of: r, in: folder)))
        }
        let counts = VideoStatus.allCases.map { s in "\(s.label) \(records.filter { $0.status == s }.count)" }.joined(separator: ", ")
        let body = """
        <h1>Study: \(HTML.escape(folder.directory.lastPathComponent))</h1>
        <p class="muted">\(HTML.escape(folder.directory.path)) · \(records.count) videos: \(counts) · made \(HTML.escape(ISO8601DateFormatter().string(from: Date()))) by facemirror \(HTML.escape(facemirrorBuildVersion))</p>
        <p>Movement symmetry (the exam): per zone, how far the weaker side moved from rest as a percentage of the stronger side, in the movements that ask for that zone (median over them; 100 % = both sides alike). Asymmetry: median symmetric index |L − R| / (|L| + |R|) of the landmark measures over each video (0 = symmetric). Click a column's title to sort by it.</p>
        <table id="videos">
        <thead><tr><th data-sort="text">video</th><th data-sort="text">status</th><th class="n" data-sort="number">frames</th><th class="n" data-sort="number">face %</th><th class="n" data-sort="number">median |yaw| °</th><th class="n" data-sort="number" title="frames with a face whose landmarks are poor">poor landmarks %</th><th class="n" data-sort="number" title="movement symmetry, brow (RE, FR)">brow movement %</th><th class="n" data-sort="number" title="movement symmetry, eye (ES, ET, BK)">eye movement %</th><th class="n" data-sort="number" title="movement symmetry, mid-face (WN)">mid-face movement %</th><th class="n" data-sort="number" title="movement symmetry, mouth (SS, BS, SO, SE, PL, BC, LT)">mouth movement %</th><th class="n" data-sort="number">brow</th><th class="n" data-sort="number">eye</th><th class="n" data-sort="number">mid-face</th><th class="n" data-sort="number">mouth</th><th class="n" data-sort="number">overall</th></tr></thead>
        <tbody>
        \(rows.joined(separator: "\n"))
        </tbody>
        </table>
        """
        let temp = folder.directory.appendingPathComponent(TemporaryName.next(suffix: ".html"))
        do {
            try Data(HTML.page(title: "facemirror study: \(folder.directory.lastPathComponent)", body: body, script: StudyIndex.sortScript).utf8).write(to: temp)
            guard rename(temp.path, index.path) == 0 else { throw StudyStateError(file: index.path, reason: String(cString: strerror(errno))) }
        } catch {
            unlink(temp.path)
            throw OutputError.cannotWrite(path: index.path, reason: ErrorText.describe(error))
        }
        return Result(index: index, reports: made, problems: problems)
    }

    private func row(_ r: VideoRecord, link: String?, exam: ExamResult?) -> String {
        let face = r.frames.flatMap { f in r.framesWithFace.map { f > 0 ? 100 * Double($0) / Double(f) : Double.nan } }
        func cell(_ v: Double?, _ digits: Int) -> String {
            "<td class=\"n\" data-value=\"\(v.map { $0.isFinite ? "\($0)" : "" } ?? "")\">\(HTML.number(v, digits))</td>"
        }
        let name = link.map { "<a href=\"\(HTML.escape($0))\">\(HTML.escape(r.path))</a>" } ?? HTML.escape(r.path)
        let status = r.status.label + (r.reason.map { ": " + $0 } ?? "")
        return "<tr data-status=\"\(r.status.rawValue)\"><td>\(name)</td><td class=\"\(r.status == .failed ? "failed" : "")\">\(HTML.escape(status))</td>"
            + cell(r.frames.map(Double.init), 0) + cell(face, 1) + cell(r.medianAbsYaw, 1) + poorCell(r)
            + FaceZone.allCases.map { z in cell(exam.flatMap { StudyExamTable.zoneSymmetry($0)[z] }, 0) }.joined()
            + [r.browIndex, r.eyeIndex, r.midfaceIndex, r.mouthIndex, r.overallIndex].map { cell($0, 4) }.joined() + "</tr>"
    }

    /// The share of frames with poor landmarks, its reasons as the cell's title, marked above the warning share.
    private func poorCell(_ r: VideoRecord) -> String {
        let share = r.framesWithFace.flatMap { f in r.framesPoorLandmarks.map { f > 0 ? 100 * Double($0) / Double(f) : Double.nan } }
        let warn = (share ?? 0) > 100 * LandmarkQualitySummary.warningShare
        return "<td class=\"n\(warn ? " failed" : "")\" data-value=\"\(share.map { $0.isFinite ? "\($0)" : "" } ?? "")\" title=\"\(HTML.escape(r.poorLandmarks ?? ""))\">\(HTML.number(share, 1))</td>"
    }

    /// A relative path as a link: each character a URL path cannot hold as it is (`#`, `?`, `%`, `\\`,
    /// spaces, line breaks) percent-encoded, and `./` in front, so that a folder named `javascript:…` or
    /// `https:…` is a folder, not a scheme.
    public static func href(_ relativePath: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%;")
        return "./" + (relativePath.addingPercentEncoding(withAllowedCharacters: allowed) ?? relativePath)
    }

    /// Sorts the table's rows by a clicked column (numbers by `data-value`, empty last); again: the other way.
    static let sortScript = """
    document.querySelectorAll("th[data-sort]").forEach(function (th, column) {
      th.addEventListener("click", function () {
        var body = th.closest("table").tBodies[0], rows = Array.from(body.rows);
        var numeric = th.dataset.sort === "number", up = th.dataset.dir !== "up";
        th.dataset.dir = up ? "up" : "down";
        rows.sort(function (a, b) {
          var x = a.cells[column], y = b.cells[column];
          if (numeric) {
            var p = parseFloat(x.dataset.value), q = parseFloat(y.dataset.value);
            if (isNaN(p)) return isNaN(q) ? 0 : 1;
            if (isNaN(q)) return -1;
            return up ? p - q : q - p;
          }
          return up ? x.textContent.localeCompare(y.textContent) : y.textContent.localeCompare(x.textContent);
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
    """
}
