import FaceMirror
import Foundation
import Study
import TestSupport
import XCTest

/// `facemirror study status` and `study summarize` over a study processed in two shards, with a
/// video that fails, one without a face, and claims of a live and of a dead process.
final class StudyCommandsTests: XCTestCase {
    func testStatusAndSummaryReadEveryShardsState() throws {
        let dir = try Fixtures.scratch(self)
        let study = dir.appendingPathComponent("study")
        try FileManager.default.createDirectory(at: study.appendingPathComponent("p1"), withIntermediateDirectories: true)
        _ = try Fixtures.sampleClip(frames: 12, in: study.appendingPathComponent("p1"), name: "smile.mp4", fast: true)
        try Fixtures.ffmpeg(["-f", "lavfi", "-i", "color=c=gray:s=320x240:r=25:d=0.4", "-c:v", "libx264", "-preset", "ultrafast",
                             study.appendingPathComponent("wall.mp4").path])
        try Data("not a video at all".utf8).write(to: study.appendingPathComponent("broken.mp4"))
        let out = dir.appendingPathComponent("out")
        for k in 0..<2 {
            _ = try Fixtures.run(Fixtures.cli(), ["process", study.path, "-o", out.path, "--no-debug-video", "--shard", "\(k)/2", "-q"],
                                 allowFailure: true)
        }
        XCTAssertEqual(StudyState.files(in: out).count, 2, "one state file per shard")

        let status = try Fixtures.run(Fixtures.cli(), ["study", "status", out.path])
        XCTAssertTrue(status.stdout.contains("3 videos"), status.stdout)
        XCTAssertTrue(status.stdout.contains("queued 0, running 0, done 1, failed 1, no face 1"), status.stdout)
        XCTAssertTrue(status.stdout.contains("failed:\n  broken.mp4: "), status.stdout)

        let summarize = try Fixtures.run(Fixtures.cli(), ["study", "summarize", out.path])
        XCTAssertEqual(summarize.stdout, out.appendingPathComponent("study_summary.csv").path + ": 3 videos\n"
                       + out.appendingPathComponent("study_exam.csv").path + ": 0 movements\n")
        let table = try String(contentsOf: out.appendingPathComponent("study_summary.csv"), encoding: .utf8)
        let rows = table.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        XCTAssertEqual(rows[0], StudySummaryTable.columns)
        let byPath = Dictionary(uniqueKeysWithValues: rows.dropFirst().map { ($0[0], Dictionary(uniqueKeysWithValues: zip(rows[0], $0))) })
        XCTAssertEqual(byPath.keys.sorted(), ["broken.mp4", "p1/smile.mp4", "wall.mp4"])
        let smile = try XCTUnwrap(byPath["p1/smile.mp4"]), wall = try XCTUnwrap(byPath["wall.mp4"]), broken = try XCTUnwrap(byPath["broken.mp4"])
        XCTAssertEqual(smile["status"], "done")
        XCTAssertEqual(smile["frames"], "12")
        XCTAssertEqual(smile["face_percent"], "100.00")
        XCTAssertEqual(smile["fps"], "29.970")
        XCTAssertEqual(Double(smile["duration_s"] ?? "") ?? 0, 12 * 1001 / 30000, accuracy: 0.001)
        XCTAssertLessThan(Double(smile["median_abs_yaw_deg"] ?? "") ?? 99, 10, "the sample faces the camera")
        for zone in ["brow_index", "eye_index", "midface_index", "mouth_index", "overall_index"] {
            let v = try XCTUnwrap(Double(smile[zone] ?? ""), zone)
            XCTAssertTrue((0..<0.2).contains(v), "\(zone) \(v): the photo's face is near symmetric")
            XCTAssertEqual(wall[zone], "NaN")
        }
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("p1/smile_asymmetry_summary.json"))) as? [String: Any]
        let overall = (json?["overall_index"] as? [String: Any])?["median"] as? Double
        XCTAssertEqual(Double(smile["overall_index"] ?? "") ?? -1, overall ?? -2, accuracy: 1e-4, "the video's median, as its summary has it")
        XCTAssertEqual(wall["status"], "no-face")
        XCTAssertEqual(wall["frames"], "10")
        XCTAssertEqual(wall["face_percent"], "0.00")
        XCTAssertEqual(wall["median_abs_yaw_deg"], "NaN")
        XCTAssertEqual(wall["fingerprint"], smile["fingerprint"], "same options and models")
        XCTAssertEqual(smile["fingerprint"]?.count, 64)
        XCTAssertEqual(broken["status"], "failed")
        XCTAssertFalse(broken["reason"]?.isEmpty ?? true)
        XCTAssertEqual(broken["frames"], "NaN")

        // A video claimed by a live process shows as running there; by one that ended, as interrupted.
        let sleeper = Process()
        sleeper.executableURL = URL(fileURLWithPath: "/bin/sleep")
        sleeper.arguments = ["60"]
        try sleeper.run()
        defer { sleeper.terminate() }
        let stat = try String(contentsOfFile: "/proc/\(sleeper.processIdentifier)/stat", encoding: .utf8)
        let start = Int64(stat[stat.index(after: stat.lastIndex(of: ")")!)...].split(separator: " ")[19])
        let live = ProcessOwner(host: ProcessOwner.current.host, pid: Int(sleeper.processIdentifier), start: start)
        let dead = ProcessOwner(host: ProcessOwner.current.host, pid: Int(sleeper.processIdentifier), start: (start ?? 0) + 1)
        let extra = try StudyState(outputDirectory: out, shard: Shard(index: 0, count: 1), owner: live)
        let fingerprint = OutputFingerprint(settings: ["test=1"])
        let late = StudyInput(path: study.appendingPathComponent("p1/smile.mp4").path, relativeDirectory: "late")
        _ = try extra.claim(late, fingerprint: fingerprint, redo: .failed)
        let gone = StudyInput(path: study.appendingPathComponent("wall.mp4").path, relativeDirectory: "gone")
        _ = try StudyState(outputDirectory: out, shard: Shard(index: 0, count: 1), owner: dead).claim(gone, fingerprint: fingerprint, redo: .failed)
        let now = try Fixtures.run(Fixtures.cli(), ["study", "status", out.path])
        XCTAssertTrue(now.stdout.contains("running:\n  late/smile.mp4: process \(sleeper.processIdentifier) on "), now.stdout)
        XCTAssertTrue(now.stdout.contains("interrupted:\n  gone/wall.mp4: process \(sleeper.processIdentifier) on "), now.stdout)
        XCTAssertTrue(now.stdout.contains("queued 0, running 2,"), now.stdout)

        let missing = try Fixtures.run(Fixtures.cli(), ["study", "status", study.path], allowFailure: true)
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("not the output folder of a `facemirror process` run"), missing.stderr)
    }

    /// A study folder is never its own input: run twice in the folder itself (the output folder is the
    /// current one), or with the outputs in a folder inside the input, the second run finds the same
    /// videos and leaves the tool's own outputs out, saying how many.
    func testTheStudysOwnOutputsAreNeverItsInputs() throws {
        let dir = try Fixtures.scratch(self)
        let study = dir.appendingPathComponent("study")
        try FileManager.default.createDirectory(at: study, withIntermediateDirectories: true)
        _ = try Fixtures.sampleClip(frames: 6, in: study, name: "a.mp4", fast: true)
        let first = try Fixtures.run(Fixtures.cli(), ["process", ".", "--au", "none"], in: study)
        XCTAssertTrue(first.stdout.contains("1 video: 1 done, 0 failed"), first.stdout)
        let again = try Fixtures.run(Fixtures.cli(), ["process", ".", "--au", "none"], in: study)
        XCTAssertTrue(again.stdout.contains("1 video: 0 done, 0 failed, 1 skipped"), again.stdout)
        XCTAssertTrue(again.stderr.contains("note: left out 3 files that this study wrote"), again.stderr)
        XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: study.path).contains { $0.contains("_debug_debug") })

        // Outputs in a folder inside the input folder.
        let inner = try Fixtures.run(Fixtures.cli(), ["process", study.path, "-o", study.appendingPathComponent("results").path, "--au", "none"])
        XCTAssertTrue(inner.stdout.contains("1 video: 1 done"), inner.stdout + inner.stderr)
        let innerAgain = try Fixtures.run(Fixtures.cli(), ["process", study.path, "-o", study.appendingPathComponent("results").path, "--au", "none"])
        XCTAssertTrue(innerAgain.stdout.contains("1 video: 0 done, 0 failed, 1 skipped"), innerAgain.stdout + innerAgain.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: study.appendingPathComponent("results/results").path))

        // A folder with no video: said plainly, no output folder or state file made.
        let empty = dir.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let none = try Fixtures.run(Fixtures.cli(), ["process", empty.path, "-o", dir.appendingPathComponent("none-out").path], allowFailure: true)
        XCTAssertEqual(none.status, 1)
        XCTAssertTrue(none.stderr.contains("no videos found in \(empty.path)"), none.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("none-out").path), "nothing left behind")
    }
}
