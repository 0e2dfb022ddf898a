import FaceMirror
import Foundation
import Study
import TestSupport
import XCTest

/// The study's state file: claims that two processes never share, claims of dead processes taken over,
/// and which videos a rerun takes.
final class StudyStateTests: XCTestCase {
    private let settings = OutputFingerprint(settings: ["seam_px=6.0", "detector=dlib HOG"])

    /// A study folder with one (not real) video, its state file, and the input as the batch sees it.
    private func study() throws -> (out: URL, input: StudyInput) {
        let dir = try Fixtures.scratch(self)
        let video = dir.appendingPathComponent("in/p1/visit.mp4")
        try FileManager.default.createDirectory(at: video.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("not decoded here".utf8).write(to: video)
        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        return (out, StudyInput(path: video.path, relativeDirectory: "p1"))
    }

    /// A real process of this machine that stays alive until killed.
    private func otherProcess() throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sleep")
        p.arguments = ["60"]
        try p.run()
        addTeardownBlock { if p.isRunning { p.terminate() } }
        return p
    }

    private func owner(of p: Process) throws -> ProcessOwner {
        // The start time as /proc gives it, exactly as the claiming process records its own.
        let stat = try String(contentsOfFile: "/proc/\(p.processIdentifier)/stat", encoding: .utf8)
        let fields = stat[stat.index(after: stat.lastIndex(of: ")")!)...].split(separator: " ")
        return ProcessOwner(host: ProcessOwner.current.host, pid: Int(p.processIdentifier), start: Int64(fields[19]))
    }

    func testAClaimOfALiveProcessIsRespectedAndThatOfADeadOneTakenOver() throws {
        let (out, input) = try study()
        let other = try otherProcess()
        let theirs = try StudyState(outputDirectory: out, owner: try owner(of: other))
        try theirs.register([input])
        XCTAssertEqual(try theirs.record(input.key)?.status, .queued)
        guard case .claimed(let first) = try theirs.claim(input, fingerprint: settings, redo: .failed) else { return XCTFail("not claimed") }
        XCTAssertNil(first.why, "a new video")
        XCTAssertFalse(first.startedBefore)

        let mine = try StudyState(outputDirectory: out)
        XCTAssertEqual(try mine.claim(input, fingerprint: settings, redo: .all), .busy(try owner(of: other)),
                       "its process is alive: not even --redo all takes it")
        other.terminate()
        other.waitUntilExit()
        guard case .claimed(let again) = try mine.claim(input, fingerprint: settings, redo: .failed) else { return XCTFail("not taken over") }
        XCTAssertTrue(again.why?.hasPrefix("interrupted") == true, String(describing: again.why))
        XCTAssertTrue(again.startedBefore, "its outputs are the study's own")
        let row = try XCTUnwrap(mine.record(input.key))
        XCTAssertEqual(row.status, .running)
        XCTAssertEqual(row.attempts, 2)
        XCTAssertEqual(row.pid, Int(getpid()))
        XCTAssertEqual(row.path, "p1/visit.mp4")
    }

    func testAReusedPidDoesNotPassForTheProcessThatClaimed() throws {
        let (out, input) = try study()
        let other = try otherProcess()
        let real = try owner(of: other)
        // Same machine, a live PID, but another start time: the claiming process is gone.
        let impostor = ProcessOwner(host: real.host, pid: real.pid, start: (real.start ?? 0) - 1)
        XCTAssertTrue(real.isAlive)
        XCTAssertFalse(impostor.isAlive)
        let theirs = try StudyState(outputDirectory: out, owner: impostor)
        guard case .claimed = try theirs.claim(input, fingerprint: settings, redo: .failed) else { return XCTFail() }
        guard case .claimed = try StudyState(outputDirectory: out).claim(input, fingerprint: settings, redo: .failed) else {
            return XCTFail("a claim by a PID that now belongs to another process is taken over")
        }
    }

    func testAnotherMachinesClaimIsTakenOverOnlyOnceItsHeartbeatIsStale() throws {
        let (out, input) = try study()
        let remote = ProcessOwner(host: "node-elsewhere", pid: 4242, start: 1)
        let theirs = try StudyState(outputDirectory: out, owner: remote)
        guard case .claimed = try theirs.claim(input, fingerprint: settings, redo: .failed) else { return XCTFail() }
        let mine = try StudyState(outputDirectory: out)
        mine.staleAfter = 300
        XCTAssertEqual(try mine.claim(input, fingerprint: settings, redo: .failed), .busy(remote), "its heartbeat is fresh")
        Thread.sleep(forTimeInterval: 1.2)
        mine.staleAfter = 1
        guard case .claimed(let c) = try mine.claim(input, fingerprint: settings, redo: .failed) else { return XCTFail("stale claim kept") }
        XCTAssertTrue(c.why?.contains("node-elsewhere") == true, String(describing: c.why))
    }

    func testFailedVideosAreRedoneUnlessToldNot() throws {
        let (out, input) = try study()
        let state = try StudyState(outputDirectory: out)
        guard case .claimed = try state.claim(input, fingerprint: settings, redo: .failed) else { return XCTFail() }
        try state.fail(input, reason: "no video stream")
        let row = try XCTUnwrap(state.record(input.key))
        XCTAssertEqual(row.status, .failed)
        XCTAssertEqual(row.reason, "no video stream")
        guard case .skipped(let why) = try state.claim(input, fingerprint: settings, redo: .none) else { return XCTFail() }
        XCTAssertTrue(why.contains("no video stream") && why.contains("--redo failed"), why)
        guard case .claimed(let c) = try state.claim(input, fingerprint: settings, redo: .failed) else { return XCTFail() }
        XCTAssertEqual(c.why, "failed before")
        XCTAssertEqual(try state.record(input.key)?.attempts, 2)
    }

    func testEachShardHasItsOwnFileAndTheFolderListsThemAll() throws {
        let (out, input) = try study()
        for k in 0..<2 { try StudyState(outputDirectory: out, shard: Shard(index: k, count: 2)).register([input]) }
        try StudyState(outputDirectory: out).register([input])
        XCTAssertEqual(StudyState.files(in: out).map(\.lastPathComponent),
                       ["facemirror-study-shard-0-of-2.sqlite", "facemirror-study-shard-1-of-2.sqlite", "facemirror-study.sqlite"])
    }

    func testAnUnreadableStateFileIsAClearError() throws {
        let (out, _) = try study()
        let file = out.appendingPathComponent(StudyState.fileName(shard: nil))
        try Data("this is not a database, it is text long enough to be looked at as one".utf8).write(to: file)
        XCTAssertThrowsError(try StudyState(outputDirectory: out)) { error in
            XCTAssertTrue("\(error)".hasPrefix(file.path + ": study state: "), "\(error)")
        }
    }
}
