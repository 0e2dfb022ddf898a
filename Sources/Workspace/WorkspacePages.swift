import FaceMirror
import FaceMirrorCore
import Foundation
import Study

/// The workspace's pages. Every name that comes from a file or folder is escaped where it is written
/// (a video named `<img src=x onerror=…>.mp4` shows as that text).
enum WorkspacePages {
    static func shell(title: String, body: String, settings: WorkspaceSettings) -> String {
        let head = """
        <meta name="csrf-token" content="\(HTML.escape(settings.csrfToken))">
        <link rel="icon" href="data:,">
        <link rel="stylesheet" href="/static/workspace.css">
        <script src="/static/workspace.js" defer></script>
        """
        return HTML.page(title: title, body: "<nav><a href=\"/\">Studies</a></nav>\n" + body, head: head)
    }

    /// Every served study with its videos counted by status, and a form to add one by its folder's path.
    static func studies(_ shelf: StudyShelf, settings: WorkspaceSettings) -> String {
        var rows: [String] = []
        for entry in shelf.entries {
            let counts: String
            do {
                let records = try StudyFolder(directory: entry.directory).records()
                counts = "\(records.count) videos: " + VideoStatus.allCases.map { s in "\(s.label) \(records.filter { $0.status == s }.count)" }.joined(separator: ", ")
            } catch {
                counts = "cannot be read: \(ErrorText.describe(error))"
            }
            rows.append("<tr><td><a href=\"/study/\(entry.id)\">\(HTML.escape(entry.directory.lastPathComponent))</a></td><td class=\"muted\">\(HTML.escape(entry.directory.path))</td><td>\(HTML.escape(counts))</td></tr>")
        }
        let table = rows.isEmpty
            ? "<p id=\"no-studies\">No study yet: add a study's output folder (the folder `facemirror process -o` wrote) below.</p>"
            : "<table id=\"studies\"><thead><tr><th>study</th><th>folder</th><th>videos</th></tr></thead><tbody>\n\(rows.joined(separator: "\n"))\n</tbody></table>"
        let body = """
        <h1>facemirror workspace</h1>
        \(table)
        <h2>Add a study</h2>
        <form id="add-study" data-post="/studies">
        <label>Folder <input name="path" size="60" placeholder="/path/to/study/output"></label> <button type="submit">Add</button>
        <p class="failed" id="add-study-error" role="alert"></p>
        </form>
        """
        return shell(title: "facemirror workspace", body: body, settings: settings)
    }

    /// One row per video of a study: its status (with the reason when it failed), frames, face share,
    /// landmark quality and the exam's movement symmetry per zone; a search box and a status filter.
    static func study(_ entry: StudyShelf.Entry, settings: WorkspaceSettings) throws -> String {
        let folder = try StudyFolder(directory: entry.directory)
        let records = try folder.records()
        var rows: [String] = []
        for r in records {
            let face = r.frames.flatMap { f in r.framesWithFace.map { f > 0 ? 100 * Double($0) / Double(f) : Double.nan } }
            let poor = r.framesWithFace.flatMap { f in r.framesPoorLandmarks.map { f > 0 ? 100 * Double($0) / Double(f) : Double.nan } }
            let warn = (poor ?? 0) > 100 * LandmarkQualitySummary.warningShare
            let exam = r.containedPath == nil ? nil : StudyExamTable.exam(of: r, in: folder)
            let symmetry = exam.map(StudyExamTable.zoneSymmetry) ?? [:]
            var name = "<a class=\"video-link\" href=\"/study/\(entry.id)/video?path=\(HTML.escape(WorkspacePages.queryValue(r.path)))\">\(HTML.escape(r.path))</a>"
            if let relative = r.containedPath, r.status == .done || r.status == .noFace {
                let report = (relative as NSString).deletingLastPathComponent
                let stem = OutputNames.stem(of: relative)
                let href = "/files/\(entry.id)/" + WorkspacePages.encoded((report.isEmpty ? "" : report + "/") + stem + OutputNames.report)
                name += " <a class=\"report\" href=\"\(HTML.escape(href))\">report</a>"
            }
            let status = r.status.label + (r.reason.map { ": " + $0 } ?? "")
            let pick = "<td><input type=\"checkbox\" class=\"pick\" value=\"\(HTML.escape(r.path))\" aria-label=\"select \(HTML.escape(r.path))\"></td>"
            var cells = [pick, "<td class=\"video\">\(name)</td>", "<td class=\"status \(r.status == .failed ? "failed" : "")\">\(HTML.escape(status))</td>",
                         "<td class=\"n\">\(HTML.number(r.frames.map(Double.init), 0))</td>", "<td class=\"n\">\(HTML.number(face, 1))</td>",
                         "<td class=\"n\(warn ? " failed" : "")\" title=\"\(HTML.escape(r.poorLandmarks ?? ""))\">\(HTML.number(poor, 1))</td>"]
            cells += FaceZone.allCases.map { "<td class=\"n\">\(HTML.number(symmetry[$0], 0))</td>" }
            rows.append("<tr data-status=\"\(r.status.rawValue)\" data-path=\"\(HTML.escape(r.path))\">" + cells.joined() + "</tr>")
        }
        let options = VideoStatus.allCases.map { "<option value=\"\($0.rawValue)\">\(HTML.escape($0.label))</option>" }.joined()
        let counts = VideoStatus.allCases.map { s in "\(s.label) \(records.filter { $0.status == s }.count)" }.joined(separator: ", ")
        let body = """
        <h1>Study: \(HTML.escape(entry.directory.lastPathComponent))</h1>
        <p class="muted">\(HTML.escape(entry.directory.path)) · \(records.count) videos: \(HTML.escape(counts))</p>
        \(runPanel(entry, folder: folder))
        <p><label>Search <input id="search" type="search" placeholder="part of a video's path"></label>
        <label>Status <select id="status-filter"><option value="">all</option>\(options)</select></label>
        <span id="shown" class="muted"></span></p>
        <table id="videos">
        <thead><tr><th><span class="hidden-label">select</span></th><th>video</th><th>status</th><th class="n">frames</th><th class="n">face %</th><th class="n" title="frames with a face whose landmarks are poor">poor landmarks %</th><th class="n" title="movement symmetry in the exam: weaker ÷ stronger side × 100">brow %</th><th class="n">eye %</th><th class="n">mid-face %</th><th class="n">mouth %</th></tr></thead>
        <tbody>
        \(rows.joined(separator: "\n"))
        </tbody>
        </table>
        """
        return shell(title: "facemirror: \(entry.directory.lastPathComponent)", body: body, settings: settings)
    }

    static let noCommand = "this study has no recorded command to run (studies made before facemirror recorded it): run `facemirror process … -o` on it once from a terminal"

    /// Run (the study's recorded command, for the ticked videos or all, with a number of jobs) and Stop,
    /// with the progress the study's event stream sends.
    static func runPanel(_ entry: StudyShelf.Entry, folder: StudyFolder) -> String {
        let command = try? folder.command()
        let jobs = command.map { jobsOption(of: $0.arguments) } ?? 1
        let what = command.map { "Run repeats the study's command for the ticked videos (all when none is ticked): <code>\(HTML.escape($0.shellText))</code>. Videos done with the same settings are skipped; failed ones are tried again." }
            ?? HTML.escape(noCommand.prefix(1).uppercased() + noCommand.dropFirst()) + "."
        return """
        <section id="run-panel" data-run="/study/\(entry.id)/run" data-stop="/study/\(entry.id)/stop" data-events="/study/\(entry.id)/events">
        <p class="muted">\(what)</p>
        <p><button type="button" id="select-unprocessed">Select unprocessed</button> <span id="selected" class="muted">none ticked</span>
        <label>Jobs <input id="jobs" type="number" min="1" max="\(WorkLimits.maxJobs)" value="\(jobs)"></label>
        <button type="button" id="run"\(command == nil ? " disabled" : "")>Run</button> <button type="button" id="stop" disabled>Stop</button></p>
        <pre id="progress" aria-live="polite"></pre>
        <p id="run-ended" hidden><a href="">Reload the page</a> for the numbers of the videos the run did.</p>
        <p class="failed" id="run-error" role="alert"></p>
        <details id="outcomes-box"><summary>This run's videos</summary><pre id="outcomes"></pre></details>
        </section>
        """
    }

    /// The `-j N`, `--jobs N` or `--jobs=N` a command was run with (1 without).
    static func jobsOption(of arguments: [String]) -> Int {
        var jobs = 1
        for (k, a) in arguments.enumerated() {
            if (a == "-j" || a == "--jobs"), k + 1 < arguments.count, let n = Int(arguments[k + 1]) { jobs = n }
            if a.hasPrefix("--jobs="), let n = Int(a.dropFirst("--jobs=".count)) { jobs = n }
        }
        return max(1, jobs)
    }

    /// A value for an address's query: everything but letters, digits and `-._~/` encoded.
    static func queryValue(_ value: String) -> String {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    /// A relative path as the path of an address: every character a path cannot hold as it is encoded
    /// (as the study index links its reports).
    static func encoded(_ relative: String) -> String { String(StudyIndex.href(relative).dropFirst(2)) }
}
