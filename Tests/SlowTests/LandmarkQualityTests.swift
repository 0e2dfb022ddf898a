import FaceMirror
import FaceMirrorCore
import Foundation
import Study
import TestSupport
import XCTest

/// Landmark quality on a real recording: a skin-coloured patch over the mouth from frame 24 on (a palm
/// held over it) is flagged frame by frame, left out of the summary, and warned about in the run's
/// output, the provenance, the report, `study status` and `study_summary.csv`; the same clip without the
/// patch has no poor frame.
final class LandmarkQualityTests: XCTestCase {
    static let coveredFrom = 24

    func testAHandOverTheMouthIsFlaggedAndLeftOutOfTheSummary() throws {
        let source = try Fixtures.requireShared(file: "testdata/single_face.mp4", "a real recording to cover the mouth of")
        let dir = try Fixtures.scratch(self)
        let inputs = dir.appendingPathComponent("in"), out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: inputs, withIntermediateDirectories: true)

        // The clean clip first: where its mouth is, and no poor frame.
        let clean = try Fixtures.run(Fixtures.cli(), ["process", source, "-o", dir.appendingPathComponent("clean").path, "--no-debug-video", "--no-report"])
        XCTAssertFalse(clean.stdout.contains("landmarks poor"), clean.stdout)
        let cleanTable = try LandmarkTable(path: dir.appendingPathComponent("clean/single_face_landmarks.csv").path)
        XCTAssertEqual(cleanTable.text("quality_issue").filter { !$0.isEmpty }, [])
        XCTAssertGreaterThan(Statistics.percentile(cleanTable.column("quality"), 5), 0.6)
        // A palm over the mouth: from just above the nose's base (point 33) to between the lower lip (57) and
        // the chin (8), 30 % wider than the mouth corners (48, 54) on each side; medians of the clean clip.
        func median(_ column: String) -> Double { Statistics.percentile(cleanTable.column(column), 50) }
        let w = median("x_54") - median("x_48"), top = median("y_33") - 5, bottom = (median("y_57") + median("y_8")) / 2
        let box = "x=\(Int(median("x_48") - 0.3 * w)):y=\(Int(top)):w=\(Int(1.6 * w)):h=\(Int(bottom - top))"
        let covered = inputs.appendingPathComponent("covered.mp4").path
        try Fixtures.ffmpeg(["-i", source, "-vf", "drawbox=\(box):color=0xC89A82@1:t=fill:enable='gte(n,\(LandmarkQualityTests.coveredFrom))'",
                             "-c:v", "libx264", "-crf", "18", "-an", covered])

        let run = try Fixtures.run(Fixtures.cli(), ["process", inputs.path, "-o", out.path])
        let t = try LandmarkTable(path: out.appendingPathComponent("covered_landmarks.csv").path)
        let issues = t.text("quality_issue"), quality = t.column("quality")
        XCTAssertEqual(issues.count, 72)
        let before = Array(issues[..<LandmarkQualityTests.coveredFrom]), after = Array(issues[LandmarkQualityTests.coveredFrom...])
        XCTAssertEqual(before.filter { !$0.isEmpty }, [], "the uncovered frames are fine")
        XCTAssertEqual(after.filter { $0 == "mouth covered" }.count, after.count, "every covered frame is flagged, as the mouth")
        XCTAssertTrue(zip(quality, issues).allSatisfy { q, i in i.isEmpty ? q >= 0.5 : q < 0.5 }, "poor below 0.5")

        // Said in the run's output, with the likely cause, and left out of the summary.
        let poor = after.count
        XCTAssertTrue(run.stdout.contains("landmarks poor in \(poor) of 72 frames with a face (67 %): mouth covered \(poor)"), run.stdout)
        XCTAssertTrue(run.stderr.contains("warning: \(covered): landmarks are poor in \(poor) of the 72 frames"), run.stderr)
        XCTAssertTrue(run.stderr.contains("something covers the mouth (a hand"), run.stderr)
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("covered_asymmetry_summary.json"))) as? [String: Any]
        XCTAssertEqual(summary?["frames_with_face"] as? Int, 72)
        XCTAssertEqual(summary?["frames_left_out"] as? Int, poor)
        let provenance = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("covered_provenance.json"))) as? [String: Any]
        let recorded = try XCTUnwrap(provenance?["landmark_quality"] as? [String: Any])
        XCTAssertEqual(recorded["poor_frames"] as? Int, poor)
        XCTAssertEqual(((recorded["issues"] as? [[String: Any]])?.first)?["issue"] as? String, "mouth covered")
        let report = try String(contentsOf: out.appendingPathComponent("covered_report.html"), encoding: .utf8)
        XCTAssertTrue(report.contains("Landmark quality: poor in \(poor) of 72 frames with a face (66.7 %): mouth covered \(poor)"))
        XCTAssertTrue(report.contains("id=\"landmark-warning\""))

        let status = try Fixtures.run(Fixtures.cli(), ["study", "status", out.path]).stdout
        XCTAssertTrue(status.contains("poor landmarks (over 30 % of the frames with a face):\n  covered.mp4: \(poor) of 72 frames (mouth covered \(poor))"), status)
        try Fixtures.run(Fixtures.cli(), ["study", "summarize", out.path])
        let rows = try String(contentsOf: out.appendingPathComponent(StudySummaryTable.fileName), encoding: .utf8).split(separator: "\n")
        let header = rows[0].split(separator: ",").map(String.init)
        let values = rows[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let share = try XCTUnwrap(header.firstIndex(of: "poor_landmarks_percent"))
        XCTAssertEqual(Double(values[share]) ?? 0, 100 * Double(poor) / 72, accuracy: 0.01)
        XCTAssertEqual(values[share + 1], "mouth covered \(poor)")
    }
}
