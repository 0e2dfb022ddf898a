import FaceMirror
import FaceMirrorCore
import Foundation
import Study

/// One video of a study: its debug video and both mirrored hemiface videos playing in step (one
/// play/pause and one seek bar for all three), the exam's timeline and the time plots below with a
/// cursor that follows playback (a click on a plot seeks there), the landmark-quality warning and a
/// link to the report. The video is named by its row in the study's state, never by a path of the request's.
enum VideoPage {
    static func html(_ entry: StudyShelf.Entry, video: String, settings: WorkspaceSettings) throws -> String? {
        let folder = try StudyFolder(directory: entry.directory)
        guard let record = try folder.records().first(where: { $0.path == video }), let relative = record.containedPath else { return nil }
        let subfolder = (relative as NSString).deletingLastPathComponent
        let directory = subfolder.isEmpty ? entry.directory : entry.directory.appendingPathComponent(subfolder)
        let stem = OutputNames.stem(of: relative)
        func href(_ suffix: String) -> String? {
            FileManager.default.fileExists(atPath: directory.appendingPathComponent(stem + suffix).path)
                ? "/files/\(entry.id)/" + WorkspacePages.encoded((subfolder.isEmpty ? "" : subfolder + "/") + stem + suffix) : nil
        }
        var body = "<h1>\(HTML.escape(relative))</h1>\n"
        let face = record.frames.flatMap { f in record.framesWithFace.map { f > 0 ? 100 * Double($0) / Double(f) : Double.nan } }
        var facts = ["study <a href=\"/study/\(entry.id)\">\(HTML.escape(entry.directory.lastPathComponent))</a>",
                     HTML.escape(record.status.label + (record.reason.map { ": " + $0 } ?? "")),
                     "\(HTML.number(record.frames.map(Double.init), 0)) frames", "face on \(HTML.number(face, 1)) %"]
        if let report = href(OutputNames.report) { facts.append("<a id=\"report-link\" href=\"\(HTML.escape(report))\">report</a>") }
        body += "<p class=\"muted\">\(facts.joined(separator: " · "))</p>\n"
        if let poor = record.framesPoorLandmarks, let withFace = record.framesWithFace, withFace > 0 {
            let share = Double(poor) / Double(withFace)
            if share > LandmarkQualitySummary.warningShare {
                body += "<p class=\"failed\" id=\"quality-warning\">Landmarks are poor in \(poor) of \(withFace) frames with a face (\(HTML.number(100 * share, 0)) %): \(HTML.escape(record.poorLandmarks ?? "")). Those frames are left out of the numbers; check the debug video.</p>\n"
            }
        }
        let players = [(OutputNames.debug, "debug: landmarks and midline"), (OutputNames.rightMirrored, "right–right (the patient's right side mirrored)"),
                       (OutputNames.leftMirrored, "left–left")].compactMap { suffix, caption in href(suffix).map { ($0, caption) } }
        guard !players.isEmpty else {
            return WorkspacePages.shell(title: relative, body: body + "<p id=\"no-videos\">No video to show: \(record.status == .noFace ? "no face was found, so no mirrored videos were written" : "it has not been processed")\(record.status == .done ? " with a debug video or mirrored videos" : "").</p>", settings: settings)
        }
        body += "<div id=\"players\">\n" + players.enumerated().map { k, player in
            "<figure><video class=\"synced\" src=\"\(HTML.escape(player.0))\" preload=\"auto\" playsinline\(k > 0 ? " muted" : "")></video><figcaption>\(HTML.escape(player.1))</figcaption></figure>"
        }.joined(separator: "\n") + "\n</div>\n"
        body += "<p id=\"controls\"><button id=\"play\" type=\"button\">Play</button> <input id=\"seek\" type=\"range\" min=\"0\" max=\"\(record.durationSeconds ?? 0)\" step=\"0.001\" value=\"0\" aria-label=\"time\"> <span id=\"clock\">0.00 s</span></p>\n"
        // The plots, from the outputs (the same as the report's).
        let asymmetry = directory.appendingPathComponent(stem + OutputNames.asymmetry), landmarks = directory.appendingPathComponent(stem + OutputNames.landmarks)
        if FileManager.default.fileExists(atPath: asymmetry.path), FileManager.default.fileExists(atPath: landmarks.path) {
            let table = try CSVTable(path: asymmetry.path), marks = try CSVTable(path: landmarks.path)
            let times = table.column("timestamp"), noFace = table.column("success").map { $0 != 1 }
            let span = (times.first ?? 0)...max(times.first ?? 0, times.last ?? 0)
            let exam = directory.appendingPathComponent(stem + OutputNames.examJSON)
            let result = (try? Data(contentsOf: exam)).flatMap { try? JSONOutput.decoder().decode(ExamResult.self, from: $0) }
            // The exam as the report shows it, its timeline editable (workspace.js) when the video was processed.
            body += "<div id=\"exam\" data-save=\"/study/\(entry.id)/timeline?path=\(HTML.escape(WorkspacePages.queryValue(record.path)))\" data-codes=\"\(HTML.escape(ExamAction.coded.map(\.rawValue).joined(separator: " ")))\">\n"
            body += ExamSection.html(result, span: span, stills: href(OutputNames.examStills))
            body += "</div>\n"
            body += "<h2>Over time</h2>\n<p class=\"muted\">Click a plot to go to that moment. Grey: frames without a face.</p>\n"
            body += VideoPlots.figures(table, landmarks: marks, times: times, noFace: noFace).map { "<figure>\($0)</figure>" }.joined(separator: "\n")
        }
        return WorkspacePages.shell(title: relative, body: body, settings: settings)
    }
}
