import FaceMirrorCore
import FaceMirror
import Foundation
import Study
import TestSupport
import XCTest

/// The per-video report and the study's index, rendered by a real browser: headless Chromium (Debian's
/// `chromium`, which `.ci/run` installs) loads them from file URLs with name resolution cut off; the
/// page must make no request, log nothing to the console, and its DOM must hold the plots (one point
/// per frame with a face) and the summary's own values. Screenshots go to .build/test-artifacts/.
final class ReportTests: XCTestCase {
    private static let chromium = "/usr/bin/chromium"

    /// The browser on a file: its DOM, the URLs it asked for (its own background services left out:
    /// Google's update, time and account hosts), and its console messages.
    private func browse(_ file: URL, screenshot: URL? = nil) throws -> (dom: String, requests: [String], console: [String]) {
        let netlog = file.deletingLastPathComponent().appendingPathComponent(".netlog-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: netlog) }
        let flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--no-first-run", "--host-resolver-rules=MAP * ~NOTFOUND", "--log-net-log=\(netlog.path)",
                     "--enable-logging=stderr", "--v=0", "--hide-scrollbars"]
        let r = try Fixtures.run("/usr/bin/timeout", ["120", Self.chromium] + flags + ["--dump-dom", file.absoluteString])
        if let screenshot {
            try Fixtures.run("/usr/bin/timeout", ["120", Self.chromium] + flags + ["--window-size=1200,2400", "--screenshot=\(screenshot.path)", file.absoluteString])
        }
        let log = (try? String(contentsOf: netlog, encoding: .utf8)) ?? ""
        let urls = Set(log.matches(of: /"url":"([^"]+)"/).map { String($0.1) })
        let own = ["google.com", "googleapis.com", "gvt1.com"]
        let requests = urls.filter { url in
            guard let host = URL(string: url)?.host else { return url.hasPrefix("http") }
            return !own.contains { host == $0 || host.hasSuffix("." + $0) }
        }.sorted()
        let console = r.stderr.split(separator: "\n").filter { $0.contains(":CONSOLE") }.map(String.init)
        return (r.stdout, requests, console)
    }

    private func artifacts() throws -> URL {
        let dir = Fixtures.repoRoot.appendingPathComponent(".build/test-artifacts")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    func testTheReportAndTheIndexRenderOfflineWithTheirValues() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.chromium) else {
            throw XCTSkip("Chromium is not installed (apt-get install chromium; .ci/run does)")
        }
        let dir = try Fixtures.scratch(self)
        let study = dir.appendingPathComponent("study")
        try FileManager.default.createDirectory(at: study.appendingPathComponent("p1"), withIntermediateDirectories: true)
        let clip = try Fixtures.sampleClip(frames: 20, in: study.appendingPathComponent("p1"), name: "smile.mp4", fast: true)
        // A face that goes missing for a few frames, for the shaded spans.
        try Fixtures.ffmpeg(["-i", clip, "-vf", "drawbox=x=0:y=0:w=iw:h=ih:color=gray:t=fill:enable='between(n,8,11)'", "-c:v", "libx264",
                             "-preset", "ultrafast", study.appendingPathComponent("p1/gap.mp4").path])
        try Fixtures.ffmpeg(["-f", "lavfi", "-i", "color=c=gray:s=320x240:r=25:d=0.4", "-c:v", "libx264", "-preset", "ultrafast",
                             study.appendingPathComponent("wall.mp4").path])
        try Data("not a video".utf8).write(to: study.appendingPathComponent("broken.mp4"))
        let out = dir.appendingPathComponent("out")
        _ = try Fixtures.run(Fixtures.cli(), ["process", study.path, "-o", out.path, "--no-debug-video", "-q"], allowFailure: true)

        // The video's report, written by process.
        let report = out.appendingPathComponent("p1/gap_report.html")
        let html = try String(contentsOf: report, encoding: .utf8)
        XCTAssertFalse(html.range(of: #"(src|href)="(?!data:|#)"#, options: .regularExpression) != nil, "every image embedded")
        let page = try browse(report, screenshot: try artifacts().appendingPathComponent("report.png"))
        XCTAssertEqual(page.requests, [], "the page asked for nothing")
        XCTAssertEqual(page.console, [], "nothing on the console")
        let asymmetry = try CSVTable(path: out.appendingPathComponent("p1/gap_asymmetry.csv").path)
        let withFace = asymmetry.column("success").filter { $0 == 1 }.count
        XCTAssertEqual(asymmetry.rows.count, 20)
        XCTAssertEqual(withFace, 16, "the four grey frames have no face")
        let zones = try XCTUnwrap(page.dom.firstRange(of: #/<svg id="plot-zones".*?</svg>/#.dotMatchesNewlines()).map { String(page.dom[$0]) })
        let counts = zones.matches(of: /data-points="(\d+)"/).map { Int($0.1)! }
        XCTAssertEqual(counts, [withFace, withFace, withFace, withFace], "one point per frame with a face, per zone")
        XCTAssertTrue(zones.contains("class=\"no-face\""), "frames without a face are shaded")
        for id in ["plot-brow", "plot-eye", "plot-midface", "plot-mouth", "plot-yaw"] { XCTAssertTrue(page.dom.contains("id=\"\(id)\""), id) }
        XCTAssertEqual(page.dom.matches(of: /<img src="data:image\/jpeg;base64,/).count, 2, "two stills, embedded")
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("p1/gap_asymmetry_summary.json"))) as? [String: Any]
        let overall = try XCTUnwrap((summary?["overall_index"] as? [String: Any])?["median"] as? Double)
        XCTAssertTrue(page.dom.contains("id=\"overall-median\">\(String(format: "%.2f", overall))<"), "the summary's value")
        let measure = try XCTUnwrap((summary?["measures"] as? [[String: Any]])?.first { $0["name"] as? String == "commissure_height" })
        let rightMedian = try XCTUnwrap((measure["right"] as? [String: Any])?["median"] as? Double)
        XCTAssertTrue(page.dom.contains("<tr data-measure=\"commissure_height\"><td>commissure_height</td><td>mouth</td><td class=\"n\">\(String(format: "%.4f", rightMedian))</td>"))
        // Legends sit in their own row above the plot (y < the plot's top at 42), never over a curve.
        let legendYs = zones.matches(of: /class="legend" x1="[0-9.]+" x2="[0-9.]+" y1="([0-9.]+)"/).map { Double($0.1)! }
        XCTAssertEqual(legendYs.count, 4)
        XCTAssertTrue(legendYs.allSatisfy { $0 < 42 }, "\(legendYs)")
        XCTAssertTrue(page.dom.contains("<title>Facial exam report: gap ("), "the page's title says what it is")
        XCTAssertFalse(page.dom.contains("<td>threads</td>"), "internal settings are not listed")

        // The index, made by `facemirror report` (which makes each video's report again from its files).
        try FileManager.default.removeItem(at: report)
        let made = try Fixtures.run(Fixtures.cli(), ["report", out.path])
        XCTAssertTrue(made.stdout.hasSuffix("index.html: 3 video reports made\n"), made.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: report.path), "made again without the video")
        let index = try browse(out.appendingPathComponent("index.html"), screenshot: try artifacts().appendingPathComponent("index.png"))
        XCTAssertEqual(index.requests, [])
        XCTAssertEqual(index.console, [])
        XCTAssertTrue(index.dom.contains("<a href=\"./p1/gap_report.html\">p1/gap.mp4</a>"), index.dom)
        XCTAssertTrue(index.dom.contains("no face: no face in any frame"), "the no-face video with its reason")
        let failedRow = try XCTUnwrap(index.dom.firstRange(of: #/<tr data-status="failed">.*?</tr>/#).map { String(index.dom[$0]) })
        XCTAssertTrue(failedRow.contains("broken.mp4") && failedRow.contains("not a readable video"), failedRow)

        // The checks themselves: a page that loads an image from elsewhere and logs an error is caught.
        let bad = dir.appendingPathComponent("bad.html")
        try Data(#"<html><body><img src="http://example.invalid/x.png"><script>console.error("boom")</script></body></html>"#.utf8).write(to: bad)
        let caught = try browse(bad)
        XCTAssertEqual(caught.requests, ["http://example.invalid/x.png"])
        XCTAssertEqual(caught.console.count, 1)
    }

    /// The exam on top of the report, from a person's coding of the synthetic smiles exam: the strip with
    /// one block per segment, each movement's zone symmetry with the weaker side, the resting line.
    func testTheExamSectionShowsTheTimelineAndTheSymmetryPerZone() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.chromium) else {
            throw XCTSkip("Chromium is not installed (apt-get install chromium; .ci/run does)")
        }
        let dir = try Fixtures.scratch(self)
        let video = dir.appendingPathComponent("smiles.mp4").path
        try Fixtures.run("/usr/bin/python3", [Fixtures.repoRoot.appendingPathComponent("scripts/fixtures/make_exam_clip.py").path,
                                              Fixtures.photo, video, "smiles"])
        let out = dir.appendingPathComponent("out")
        try Fixtures.run(Fixtures.cli(), ["process", video, "-o", out.path, "--no-debug-video", "-q",
                                          "--actions", dir.appendingPathComponent("smiles_truth.csv").path])
        let page = try browse(out.appendingPathComponent("smiles_report.html"), screenshot: try artifacts().appendingPathComponent("report-exam.png"))
        XCTAssertEqual(page.requests, [])
        XCTAssertEqual(page.console, [])
        let strip = try XCTUnwrap(page.dom.firstRange(of: #/<svg id="exam-strip".*?</svg>/#.dotMatchesNewlines()).map { String(page.dom[$0]) })
        XCTAssertEqual(strip.matches(of: #/<rect /#).count, 5, "BL SS BL SS BL")
        XCTAssertTrue(page.dom.contains("id=\"exam-strip-plots\""), "the strip above the time plots too")
        XCTAssertTrue(page.dom.contains("Timeline: the coding "), "its source")
        let table = try XCTUnwrap(page.dom.firstRange(of: #/<table id="exam-zones">.*?</table>/#.dotMatchesNewlines()).map { String(page.dom[$0]) })
        let rows = table.matches(of: #/<tr><td>SS</td>.*?</tr>/#).map { String($0.0) }
        XCTAssertEqual(rows.count, 2)
        XCTAssertTrue(rows[0].contains("right weaker"), rows[0])
        let exam = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("smiles_exam.json"))) as! [String: Any]
        let first = (exam["movements"] as! [[String: Any]])[0]
        let mouth = (first["zones"] as! [[String: Any]]).first { $0["zone"] as? String == "mouth" }!
        XCTAssertTrue(rows[0].contains("\(String(format: "%.0f", mouth["symmetry"] as! Double)) %"), "the exam's own value")
        XCTAssertTrue(page.dom.contains("id=\"exam-rest\""), "the resting symmetry line")
        // The faces at rest and at each peak: the stills file itself, inside the page.
        let sheet = try Data(contentsOf: out.appendingPathComponent("smiles_exam_stills.jpg")).base64EncodedString()
        XCTAssertTrue(page.dom.contains("<figure id=\"exam-stills\"><img src=\"data:image/jpeg;base64,\(sheet)\""), "the exam's stills")
    }
}
