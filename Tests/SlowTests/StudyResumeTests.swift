import Foundation
import Study
import TestSupport
import XCTest

/// A study killed at any point and run again ends as a clean run does: the same files, byte-identical
/// CSVs, no video done twice once it was complete, no temporary left; and two processes on one study
/// never work on the same video.
final class StudyResumeTests: XCTestCase {
    /// Three clips in two folders.
    private func studyFolder() throws -> (dir: URL, study: URL) {
        let dir = try Fixtures.scratch(self)
        let study = dir.appendingPathComponent("study")
        for (n, name) in ["p1/a.mp4", "p1/b.mp4", "p2/a.mp4"].enumerated() {
            let url = study.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            _ = try Fixtures.sampleClip(frames: 30 + 4 * n, in: url.deletingLastPathComponent(), name: url.lastPathComponent, fast: true)
        }
        return (dir, study)
    }

    private func arguments(_ study: URL, _ out: URL, _ log: URL) -> [String] {
        ["process", study.path, "-o", out.path, "--no-debug-video", "--json-log", log.path]
    }

    private func launch(_ args: [String]) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Fixtures.cli())
        p.arguments = args
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        addTeardownBlock { if p.isRunning { kill(p.processIdentifier, SIGKILL) } }
        return p
    }

    private func events(_ log: URL) -> [[String: Any]] {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    struct WaitTimedOut: Error { let what: String }

    private func waitUntil(_ what: String, timeout: Double = 120, _ condition: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition() {
            // A hang is a failure, never a skip.
            guard Date() < deadline else {
                XCTFail("waited \(Int(timeout)) s for \(what) in vain")
                throw WaitTimedOut(what: what)
            }
            usleep(2_000)
        }
    }

    /// Every file below `out`, relative path → bytes.
    private func files(_ out: URL) throws -> [String: Data] {
        var all: [String: Data] = [:]
        let base = out.standardizedFileURL.path
        for case let url as URL in FileManager.default.enumerator(at: out, includingPropertiesForKeys: nil)! {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), !isDir.boolValue else { continue }
            all[String(url.standardizedFileURL.path.dropFirst(base.count + 1))] = try Data(contentsOf: url)
        }
        return all
    }

    private func temporaries(_ out: URL) throws -> [String] {
        try files(out).keys.filter { ($0 as NSString).lastPathComponent.hasPrefix(".fm-") }
    }

    /// `extraStateFiles`: state files of other runs (shards) are allowed beside the outputs.
    private func assertSameAsCleanRun(_ out: URL, _ clean: URL, extraStateFiles: Bool = false,
                                      file: StaticString = #filePath, line: UInt = #line) throws {
        var got = try files(out)
        let want = try files(clean)
        if extraStateFiles { got = got.filter { want[$0.key] != nil || !$0.key.hasPrefix(StudyState.filePrefix) } }
        XCTAssertEqual(got.keys.sorted(), want.keys.sorted(), "the same file set", file: file, line: line)
        for (name, data) in want where name.hasSuffix(".csv") {
            XCTAssertEqual(got[name], data, "\(name) byte-identical", file: file, line: line)
        }
        XCTAssertEqual(try temporaries(out), [], "no temporary left", file: file, line: line)
        let rows = try StudyState(outputDirectory: out).records()
        XCTAssertEqual(rows.map(\.status), [.done, .done, .done], file: file, line: line)
    }

    func testKilledInTheMiddleOfAVideoThenRunAgain() throws {
        let (dir, study) = try studyFolder()
        let clean = dir.appendingPathComponent("clean")
        try Fixtures.run(Fixtures.cli(), arguments(study, clean, dir.appendingPathComponent("clean.jsonl")))

        let out = dir.appendingPathComponent("out"), log = dir.appendingPathComponent("first.jsonl")
        let first = try launch(arguments(study, out, log))
        // Inside the second video: it has started and its temporary outputs are being written.
        try waitUntil("the second video's temporaries") {
            events(log).filter { $0["event"] as? String == "started" }.count == 2 && !((try? temporaries(out)) ?? []).isEmpty
        }
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        XCTAssertFalse(try temporaries(out).isEmpty, "killed mid-video: its temporaries are left")
        let state = try StudyState(outputDirectory: out)
        XCTAssertEqual(try state.record("p1/a.mp4")?.status, .done)
        XCTAssertEqual(try state.record("p1/b.mp4")?.status, .running, "claimed by the killed process")

        let rerunLog = dir.appendingPathComponent("again.jsonl")
        try Fixtures.run(Fixtures.cli(), arguments(study, out, rerunLog))
        let again = events(rerunLog)
        XCTAssertEqual(again.filter { $0["event"] as? String == "skipped" }.compactMap { $0["video"] as? String },
                       [study.appendingPathComponent("p1/a.mp4").path], "the finished video is not done twice")
        let restarted = again.first { $0["event"] as? String == "started" }
        XCTAssertEqual(restarted?["video"] as? String, study.appendingPathComponent("p1/b.mp4").path)
        XCTAssertTrue((restarted?["redo"] as? String ?? "").hasPrefix("interrupted"), "\(String(describing: restarted))")
        try assertSameAsCleanRun(out, clean)
        XCTAssertEqual(try state.records().map(\.attempts), [1, 2, 1])
    }

    func testKilledBetweenVideosThenRunAgain() throws {
        let (dir, study) = try studyFolder()
        let clean = dir.appendingPathComponent("clean")
        try Fixtures.run(Fixtures.cli(), arguments(study, clean, dir.appendingPathComponent("clean.jsonl")))

        let out = dir.appendingPathComponent("out"), log = dir.appendingPathComponent("first.jsonl")
        let first = try launch(arguments(study, out, log))
        // Killed the moment the first video is recorded as done, before the second has made anything.
        try waitUntil("the first video to finish") { events(log).contains { $0["event"] as? String == "finished" } }
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        let state = try StudyState(outputDirectory: out)
        XCTAssertEqual(try state.record("p1/a.mp4")?.status, .done)

        let rerunLog = dir.appendingPathComponent("again.jsonl")
        try Fixtures.run(Fixtures.cli(), arguments(study, out, rerunLog))
        let started = events(rerunLog).filter { $0["event"] as? String == "started" }.compactMap { $0["video"] as? String }
        XCTAssertEqual(started, ["p1/b.mp4", "p2/a.mp4"].map { study.appendingPathComponent($0).path })
        try assertSameAsCleanRun(out, clean)
        XCTAssertEqual(try state.record("p1/a.mp4")?.attempts, 1, "done once")
    }

    func testTwoProcessesOnOneStudyNeverWorkOnTheSameVideo() throws {
        let (dir, study) = try studyFolder()
        let clean = dir.appendingPathComponent("clean")
        try Fixtures.run(Fixtures.cli(), arguments(study, clean, dir.appendingPathComponent("clean.jsonl")))
        let out = dir.appendingPathComponent("out")
        let logs = [dir.appendingPathComponent("one.jsonl"), dir.appendingPathComponent("two.jsonl")]
        let processes = try logs.map { try launch(arguments(study, out, $0)) }
        for p in processes { p.waitUntilExit(); XCTAssertEqual(p.terminationStatus, 0) }
        let finished = logs.flatMap { events($0) }.filter { $0["event"] as? String == "finished" }.compactMap { $0["video"] as? String }
        XCTAssertEqual(finished.sorted(), ["p1/a.mp4", "p1/b.mp4", "p2/a.mp4"].map { study.appendingPathComponent($0).path },
                       "each video finished once, by one of the two")
        // They ran side by side: each took some of the videos, and one found a video the other held.
        for log in logs { XCTAssertTrue(events(log).contains { $0["event"] as? String == "finished" }, "\(log.lastPathComponent) did work") }
        XCTAssertTrue(logs.flatMap { events($0) }.contains { $0["event"] as? String == "busy" }, "a claim was respected")
        try assertSameAsCleanRun(out, clean)
        XCTAssertEqual(try StudyState(outputDirectory: out).records().map(\.attempts), [1, 1, 1])
    }

    func testAStudyBegunInShardsIsFinishedWhole() throws {
        let (dir, study) = try studyFolder()
        let clean = dir.appendingPathComponent("clean")
        try Fixtures.run(Fixtures.cli(), arguments(study, clean, dir.appendingPathComponent("clean.jsonl")))
        let out = dir.appendingPathComponent("out")
        // One shard of two ran (on a cluster, say); the rest is done by one run without --shard.
        try Fixtures.run(Fixtures.cli(), arguments(study, out, dir.appendingPathComponent("shard.jsonl")) + ["--shard", "0/2"])
        let shardDone = events(dir.appendingPathComponent("shard.jsonl")).filter { $0["event"] as? String == "finished" }.compactMap { $0["video"] as? String }
        XCTAssertFalse(shardDone.isEmpty)
        let wholeLog = dir.appendingPathComponent("whole.jsonl")
        try Fixtures.run(Fixtures.cli(), arguments(study, out, wholeLog))
        let whole = events(wholeLog)
        XCTAssertEqual(whole.filter { $0["event"] as? String == "skipped" }.compactMap { $0["video"] as? String }.sorted(), shardDone.sorted(),
                       "what the shard did is not done again")
        XCTAssertEqual(whole.filter { $0["event"] as? String == "finished" }.count, 3 - shardDone.count)
        try assertSameAsCleanRun(out, clean, extraStateFiles: true)
        XCTAssertEqual(try StudyState(outputDirectory: out).records().map(\.attempts), [1, 1, 1])
        // Everything again: the shard's outputs are the study's own, replaced without --overwrite.
        let redo = try Fixtures.run(Fixtures.cli(), arguments(study, out, wholeLog) + ["--redo", "all"])
        XCTAssertTrue(redo.stdout.hasSuffix("3 videos: 3 done, 0 failed\n"), redo.stdout)
        try assertSameAsCleanRun(out, clean, extraStateFiles: true)
    }
}
