import FaceMirror
import Foundation
import Study
import TestSupport
import XCTest

/// The workspace in a real headless Chromium driven through chromium-driver (Selenium,
/// Tests/Support/workspace_browser.py): the pages list the study and its videos; Run processes the
/// pending one while its progress line moves; the video plays with
/// its three players in step and the plot cursor following; a click on a plot seeks there; a movement
/// added and its edge dragged on the timeline is saved as `<stem>_actions.csv` and the exam on the page
/// follows; nothing is asked of another machine. Screenshots are kept in .build/test-artifacts.
final class WorkspaceBrowserTests: XCTestCase {
    static let python = Fixtures.repoRoot.appendingPathComponent(".browserenv/bin/python").path

    func testAPersonPlaysSeeksAndCorrectsTheTimelineInTheBrowser() throws {
        for (path, what) in [("/usr/bin/chromium", "Chromium"), ("/usr/bin/chromedriver", "chromium-driver"), (Self.python, "Selenium's environment (.browserenv)")]
        where !FileManager.default.isExecutableFile(atPath: path) {
            throw XCTSkip("\(what) is not installed (apt-get install chromium chromium-driver; scripts/env/browser_env.sh; .ci/run does both)")
        }
        let dir = try Fixtures.scratch(self)
        let videos = dir.appendingPathComponent("videos"), out = dir.appendingPathComponent("study")
        try FileManager.default.createDirectory(at: videos, withIntermediateDirectories: true)
        _ = try Fixtures.sampleClip(frames: 90, in: videos, name: "patient01.mp4")
        try Fixtures.run(Fixtures.cli(), ["process", videos.path, "-o", out.path, "-q"])
        // A second video the study has not done, pending as a run that has just begun leaves it: Run does it.
        let pending = try Fixtures.sampleClip(frames: 150, in: videos, name: "patient02.mp4")
        try StudyState(file: out.appendingPathComponent(StudyState.fileName(shard: nil))).register([StudyInput(path: pending, relativeDirectory: "")])
        // A study of 100 videos, its state's rows made here (queued, as a run that has just begun has them).
        let large = dir.appendingPathComponent("large")
        try FileManager.default.createDirectory(at: large, withIntermediateDirectories: true)
        let state = try StudyState(file: large.appendingPathComponent(StudyState.fileName(shard: nil)))
        let waiting = dir.appendingPathComponent("waiting")
        try FileManager.default.createDirectory(at: waiting, withIntermediateDirectories: true)
        let inputs = try (1...100).map { k -> StudyInput in
            let path = waiting.appendingPathComponent("patient-\(String(format: "%03d", k)).mp4").path
            try Data("not yet filmed".utf8).write(to: URL(fileURLWithPath: path))
            return StudyInput(path: path, relativeDirectory: "")
        }
        try state.register(inputs)

        let server = try WorkspaceServerTests.Server([out.path, large.path])
        defer { _ = server.stop() }
        let shots = Fixtures.repoRoot.appendingPathComponent(".build/test-artifacts")
        try FileManager.default.createDirectory(at: shots, withIntermediateDirectories: true)
        let r = try Fixtures.run("/usr/bin/timeout", ["300", Self.python, Fixtures.repoRoot.appendingPathComponent("Tests/Support/workspace_browser.py").path,
                                                      server.address, shots.path])
        print(r.stdout)
        let seen = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        func number(_ key: String) -> Double { (seen[key] as? NSNumber)?.doubleValue ?? .nan }
        func times(_ key: String) -> [Double] { (seen[key] as? [NSNumber])?.map(\.doubleValue) ?? [] }
        func segments(_ key: String) -> [(String, Double, Double)] {
            ((seen[key] as? [[String: Any]]) ?? []).map { ($0["action"] as! String, ($0["start"] as! NSNumber).doubleValue, ($0["end"] as! NSNumber).doubleValue) }
        }

        XCTAssertEqual(seen["studies"] as? [String], ["study", "large"])
        XCTAssertEqual(seen["address_after_key"] as? String, server.base + "/", "the key leaves the address bar")
        XCTAssertEqual(seen["rows"] as? Int, 2)
        // Run: "select unprocessed" ticks the pending video; its progress moves on the page; its row says done.
        XCTAssertEqual(seen["ticked"] as? [String], ["patient02.mp4"])
        XCTAssertEqual(seen["run_phase"] as? String, "ended")
        let progress = (seen["progress_seen"] as? [String]) ?? []
        let frames = progress.compactMap { $0.firstMatch(of: #/patient02\.mp4: (\d+)/150 frames/#).flatMap { Int($0.1) } }
        XCTAssertGreaterThanOrEqual(Set(frames.filter { $0 > 0 && $0 < 150 }).count, 2, "the line moved: \(progress)")
        XCTAssertTrue(progress.contains { $0.hasPrefix("batch: 1/1 videos (1 done, 0 failed)") }, "\(progress)")
        XCTAssertEqual((seen["status_after_run"] as? [String: String])?["patient02.mp4"], "done")
        XCTAssertEqual(seen["run_enabled_after"] as? Bool, true)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("patient02_report.html").path))
        // Playing: the time moved, the three players in step, the cursor with it.
        XCTAssertGreaterThan(number("played_to"), 0.3)
        XCTAssertGreaterThan(number("cursor_after_play"), number("cursor_at_start") + 10)
        let played = times("videos_after_play")
        XCTAssertEqual(played.count, 3, "debug, right-right, left-left")
        XCTAssertLessThan((played.max() ?? 9) - (played.min() ?? 0), 0.15, "in step: \(played)")
        // A click on a plot: every player and the cursor go there.
        XCTAssertEqual(number("seek_time"), number("seek_expected"), accuracy: 0.05)
        for t in times("videos_after_seek") { XCTAssertEqual(t, number("seek_expected"), accuracy: 0.05) }
        XCTAssertEqual(number("cursor_after_seek"), number("cursor_expected"), accuracy: 2)
        // The timeline: added at the cursor, its end dragged 0.1 s later, undone, dragged again, saved.
        let added = try XCTUnwrap(segments("segments_after_add").first { $0.0 == "SS" })
        XCTAssertEqual(added.1, number("seek_expected") / 3, accuracy: 0.05, "at the cursor (a quarter of the way)")
        let dragged = try XCTUnwrap(segments("segments_after_drag").first { $0.0 == "SS" })
        XCTAssertEqual(dragged.2 - added.2, 0.1, accuracy: 0.04)
        XCTAssertEqual(segments("segments_after_undo").map(\.2), segments("segments_after_add").map(\.2))
        let saved = try XCTUnwrap(segments("segments_saved").first { $0.0 == "SS" })
        let coding = try ActionCoding(path: out.appendingPathComponent("patient01_actions.csv").path)
        let written = try XCTUnwrap(coding.rows.first { $0.action == .softSmile })
        XCTAssertEqual(written.start, saved.1, accuracy: 0.001)
        XCTAssertEqual(written.end, saved.2, accuracy: 0.001)
        XCTAssertTrue((seen["exam_source"] as? String)?.hasPrefix("Timeline: the coding") == true, "\(seen["exam_source"] ?? "")")
        XCTAssertEqual(seen["exam_warnings"] as? [String], [], "the coding as the editor wrote it fits the video")
        XCTAssertTrue((seen["exam_rows"] as? [String])?.contains { $0.hasPrefix("SS soft smile") } == true, "\(seen["exam_rows"] ?? "")")
        // The large study: listed and searchable; its load time is measured, not asserted.
        XCTAssertEqual(seen["large_rows"] as? Int, 100)
        XCTAssertEqual(seen["large_shown_after_search"] as? String, "1 of 100 shown")
        print("the 100-video study page loaded in \(number("large_load_ms")) ms")
        XCTAssertEqual(seen["requests_elsewhere"] as? [String], [], "nothing leaves the machine")
        XCTAssertEqual(seen["console_errors"] as? [String], [])
    }
}
