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
        // Again: both are done with the same input and settings, so nothing is redone, and it says so.
        let again = try Fixtures.run(Fixtures.cli(), ["process", study.path, "-o", out.path, "--no-debug-video", "--json-log", events.path])
        XCTAssertTrue(again.stdout.contains("p1/visit.mp4: skipped, done before with the same input, options and models"), again.stdout)
        XCTAssertTrue(again.stdout.hasSuffix("2 videos: 0 done, 0 failed, 2 skipped\n"), again.stdout)
        let skipped = try String(contentsOf: events, encoding: .utf8).split(separator: "\n").compactMap {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        XCTAssertEqual(skipped.compactMap { $0["event"] as? String }, ["skipped", "skipped"])
        // Without the study's state, outputs already there are not the study's: refused unless --overwrite.
        try FileManager.default.removeItem(at: out.appendingPathComponent("facemirror-study.sqlite"))
        let stranger = try Fixtures.run(Fixtures.cli(), ["process", study.path, "-o", out.path, "--no-debug-video", "--glob", "p2/*",
                                                         "--json-log", events.path], allowFailure: true)
        XCTAssertEqual(stranger.status, 1)
        XCTAssertTrue(stranger.stdout.contains("1 video: 0 done, 1 failed"), stranger.stdout)
        let failed = try String(contentsOf: events, encoding: .utf8).split(separator: "\n").last.flatMap {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        XCTAssertEqual(failed?["event"] as? String, "failed")
        XCTAssertTrue((failed?["reason"] as? String ?? "").contains("--overwrite"), "\(String(describing: failed))")
    }

    /// A JSON log that cannot be written (a full disk: /dev/full) fails the run, saying how many events were
    /// lost, after the videos themselves are done; one that cannot be made says why.
    func testAJSONLogThatCannotBeWrittenIsAnError() throws {
        let dir = try Fixtures.scratch(self)
        let video = try Fixtures.sampleClip(frames: 3, in: dir, fast: true)
        let out = dir.appendingPathComponent("out")
        let full = try Fixtures.run(Fixtures.cli(), ["process", video, "-o", out.path, "--no-debug-video", "--au", "none",
                                                     "--json-log", "/dev/full"], allowFailure: true)
        XCTAssertEqual(full.status, 1, full.stderr)
        XCTAssertTrue(full.stderr.contains("/dev/full: the JSON log could not be written ("), full.stderr)
        XCTAssertTrue(full.stderr.contains("events lost"), full.stderr)
        XCTAssertTrue(full.stdout.contains("1 video: 1 done, 0 failed"), "the video itself is done: \(full.stdout)")
        let nowhere = dir.appendingPathComponent("no/such/folder/log.jsonl").path
        let missing = try Fixtures.run(Fixtures.cli(), ["process", video, "-o", out.path, "--json-log", nowhere], allowFailure: true)
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.stderr.contains("\(nowhere): cannot create the JSON log ("), missing.stderr)
    }

    func testTwoJobsGiveWhatOneJobGives() throws {
        let dir = try Fixtures.scratch(self)
        let study = dir.appendingPathComponent("study")
        try FileManager.default.createDirectory(at: study, withIntermediateDirectories: true)
        for n in 1...3 { _ = try Fixtures.sampleClip(frames: 6 + n, in: study, name: "v\(n).mp4", fast: true) }
        func run(jobs: Int) throws -> (output: String, csvs: [String: Data]) {
            let out = dir.appendingPathComponent("out\(jobs)")
            let r = try Fixtures.run(Fixtures.cli(), ["process", study.path, "-o", out.path, "--no-debug-video", "--jobs", "\(jobs)"])
            var csvs: [String: Data] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: out.path) where name.hasSuffix(".csv") {
                csvs[name] = try Data(contentsOf: out.appendingPathComponent(name))
            }
            return (r.stdout, csvs)
        }
        let one = try run(jobs: 1), two = try run(jobs: 2)
        XCTAssertTrue(two.output.hasSuffix("3 videos: 3 done, 0 failed\n"), two.output)
        XCTAssertEqual(one.csvs.count, 12, "landmarks, asymmetry, the exam's timeline and table of each")
        XCTAssertEqual(one.csvs, two.csvs, "the same numbers whatever the number of jobs")
        for n in 1...3 { XCTAssertTrue(two.output.contains("v\(n).mp4: \(6 + n) frames"), two.output) }
        let bad = try Fixtures.run(Fixtures.cli(), ["process", study.path, "--jobs", "0"], allowFailure: true)
        XCTAssertEqual(bad.status, 64, bad.stderr)
        // Two shards: each does its slice; together they did every video once, with the same numbers.
        var union: [String: Data] = [:]
        for k in 0..<2 {
            let out = dir.appendingPathComponent("shard\(k)")
            let r = try Fixtures.run(Fixtures.cli(), ["process", study.path, "-o", out.path, "--no-debug-video", "--shard", "\(k)/2"])
            XCTAssertTrue(r.stdout.hasPrefix("shard \(k)/2: "), r.stdout)
            for name in try FileManager.default.contentsOfDirectory(atPath: out.path) where name.hasSuffix(".csv") {
                XCTAssertNil(union[name], "\(name) done by one shard only")
                union[name] = try Data(contentsOf: out.appendingPathComponent(name))
            }
        }
        XCTAssertEqual(union, one.csvs)
    }
}
