import Foundation
import TestSupport
import XCTest

/// `facemirror process` on a study folder: videos found below it, outputs in the same places below
/// the output folder, a quiet mode and a JSON event log.
final class BatchTests: XCTestCase {
    func testAStudyFolderIsProcessedIntoTheSamePlacesWithAnEventLog() throws {
        let dir = try Fixtures.scratch(self)
        let study = dir.appendingPathComponent("study")
        for p in ["p1", "p2"] {
            try FileManager.default.createDirectory(at: study.appendingPathComponent(p), withIntermediateDirectories: true)
            _ = try Fixtures.sampleClip(frames: 4, in: study.appendingPathComponent(p), name: "visit.mp4", fast: true)
        }
        try Data("not a video".utf8).write(to: study.appendingPathComponent("p1/notes.txt"))
        let out = dir.appendingPathComponent("out")
        let events = dir.appendingPathComponent("events.jsonl")
        let r = try Fixtures.run(Fixtures.cli(), ["process", study.path, "-o", out.path, "--no-debug-video", "--quiet", "--json-log", events.path])
        // Same-named videos of two folders do not collide: each has its own output folder.
        for p in ["p1", "p2"] {
            let names = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent(p).path)
            XCTAssertTrue(names.contains("visit_landmarks.csv") && names.contains("visit_provenance.json"), "\(p): \(names)")
        }
        XCTAssertEqual(r.stdout, "2 videos: 2 done, 0 failed\n", "--quiet: the summary only")
        // One JSON object per event.
        let lines = try String(contentsOf: events, encoding: .utf8).split(separator: "\n")
        let objects = try lines.map { try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        XCTAssertEqual(objects.compactMap { $0["event"] as? String }, ["started", "finished", "started", "finished"])
        XCTAssertEqual(objects[1]["frames"] as? Int, 4)
        XCTAssertEqual(objects[1]["video"] as? String, study.appendingPathComponent("p1/visit.mp4").path)
        XCTAssertNotNil(objects[0]["time"] as? String)
        // Again: the outputs exist, so each video fails (without --overwrite) and says so in the log.
        let again = try Fixtures.run(Fixtures.cli(), ["process", study.path, "-o", out.path, "--no-debug-video", "--glob", "p2/*",
                                                      "--json-log", events.path], allowFailure: true)
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.stdout.contains("1 video: 0 done, 1 failed"), again.stdout)
        let failed = try String(contentsOf: events, encoding: .utf8).split(separator: "\n").last.flatMap {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        XCTAssertEqual(failed?["event"] as? String, "failed")
        XCTAssertTrue((failed?["reason"] as? String ?? "").contains("--overwrite"), "\(String(describing: failed))")
    }
}
