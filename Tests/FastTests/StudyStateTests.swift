import FaceMirror
import FileDigest
import Foundation
import GRDB
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

    /// A heartbeat from a clock far ahead of this one (a machine set to another year) is stale after the
    /// same limit, not alive for ever; one a little ahead is fresh, and `study status` says which.
    func testAHeartbeatFromAClockAheadIsStaleAfterTheSameLimit() throws {
        let (out, input) = try study()
        let remote = ProcessOwner(host: "node-ahead", pid: 4242, start: 1)
        let theirs = try StudyState(outputDirectory: out, owner: remote)
        guard case .claimed = try theirs.claim(input, fingerprint: settings, redo: .failed) else { return XCTFail() }
        let file = out.appendingPathComponent(StudyState.fileName(shard: nil)).path
        func setHeartbeat(_ secondsAhead: Double) throws {
            let db = try DatabaseQueue(path: file)
            try db.write { try $0.execute(sql: "UPDATE video SET heartbeat = ?", arguments: [Date().timeIntervalSince1970 + secondsAhead]) }
            try db.close()
        }
        try setHeartbeat(60)
        let mine = try StudyState(outputDirectory: out)
        mine.staleAfter = 300
        XCTAssertEqual(try mine.claim(input, fingerprint: settings, redo: .failed), .busy(remote), "a minute ahead: fresh")
        let status = try StudyStatus(folder: StudyFolder(directory: out), staleAfter: 300).text
        XCTAssertTrue(status.contains("node-ahead") && status.contains("s ahead of this machine's"), status)
        try setHeartbeat(998_203_777_873)
        guard case .claimed(let c) = try mine.claim(input, fingerprint: settings, redo: .failed) else { return XCTFail("a claim from the future kept") }
        XCTAssertTrue(c.why?.contains("node-ahead") == true, String(describing: c.why))
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

    /// A state file as the build before the schema migrator wrote it (schema 2 by `user_version`, the
    /// same tables, no record of migrations): it opens unchanged, its rows read, and a rerun skips the
    /// video it has done. A file with a step this build does not know is refused as newer.
    func testAStudyFileMadeBeforeTheMigratorOpensUnchanged() throws {
        let (out, input) = try study()
        let file = out.appendingPathComponent(StudyState.fileName(shard: nil))
        let identity = try FileManager.default.attributesOfItem(atPath: input.path)
        let bytes = (identity[.size] as? NSNumber)?.intValue ?? 0
        let modified = (identity[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        // The one output it recorded, in place.
        let output = out.appendingPathComponent("p1/visit_landmarks.csv")
        try FileManager.default.createDirectory(at: output.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("frame\n0\n".utf8).write(to: output)
        let outputs = "[{\"bytes\":8,\"sha256\":\"\(try FileDigest.sha256(ofFile: output.path))\",\"path\":\"p1/visit_landmarks.csv\"}]"
        let old = try DatabaseQueue(path: file.path)
        try old.write { db in
            // The schema exactly as that build's SQLite file holds it (sqlite_master of a file it made).
            try db.execute(sql: """
                CREATE TABLE "video" ("path" TEXT PRIMARY KEY NOT NULL, "source" TEXT NOT NULL, "bytes" INTEGER NOT NULL, "modified" DOUBLE NOT NULL, "sha256" TEXT, "status" TEXT NOT NULL CHECK ("status" IN ('queued', 'running', 'done', 'failed', 'no-face')), "reason" TEXT, "attempts" INTEGER NOT NULL DEFAULT 0, "host" TEXT, "pid" INTEGER, "process_start" INTEGER, "heartbeat" DOUBLE, "started" TEXT, "finished" TEXT, "fingerprint" TEXT, "outputs" TEXT, "frames" INTEGER, "duration_seconds" DOUBLE, "frame_rate" DOUBLE, "frames_with_face" INTEGER, "detector_runs" INTEGER, "median_abs_yaw" DOUBLE, "frames_yaw_within5" INTEGER, "processing_fps" DOUBLE, "brow_index" DOUBLE, "eye_index" DOUBLE, "midface_index" DOUBLE, "mouth_index" DOUBLE, "overall_index" DOUBLE);
                CREATE TABLE "fingerprint" ("digest" TEXT PRIMARY KEY NOT NULL, "settings" TEXT NOT NULL);
                PRAGMA user_version = 2;
                """)
            try db.execute(sql: """
                INSERT INTO video (path, source, bytes, modified, sha256, status, attempts, host, pid, started, finished, fingerprint, outputs, frames, frames_with_face, overall_index)
                VALUES (?, ?, ?, ?, ?, 'done', 1, 'elsewhere', 4242, '2026-12-01T10:00:00.000Z', '2026-12-01T10:00:05.000Z', ?, ?, 60, 58, 0.0125)
                """, arguments: [input.key, input.path, bytes, modified, try FileDigest.sha256(ofFile: input.path), settings.digest, outputs])
            try db.execute(sql: "INSERT INTO fingerprint (digest, settings) VALUES (?, ?)", arguments: [settings.digest, settings.settings.joined(separator: "\n")])
        }
        try old.close()

        let state = try StudyState(outputDirectory: out)
        let row = try XCTUnwrap(state.record(input.key))
        XCTAssertEqual(row.status, .done)
        XCTAssertEqual(row.frames, 60)
        XCTAssertEqual(row.framesWithFace, 58)
        XCTAssertEqual(try state.fingerprints()[settings.digest], settings.settings.joined(separator: "\n"))
        XCTAssertEqual(try state.claim(input, fingerprint: settings, redo: .failed), .skipped("done before with the same input, options and models"))
        let check = try DatabaseQueue(path: file.path)
        try check.read { db in
            XCTAssertEqual(try Int.fetchOne(db, sql: "PRAGMA user_version"), 3)
            XCTAssertEqual(try StudyState.migrator.appliedMigrations(db), StudyState.migrator.migrations, "every step recorded")
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT count(*) FROM video"), 1)
        }
        // Opening it again changes nothing.
        XCTAssertEqual(try StudyState(outputDirectory: out).records().count, 1)

        // A step from a newer build: refused, not guessed at.
        try check.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9: from the future')") }
        try check.close()
        XCTAssertThrowsError(try StudyState(outputDirectory: out)) { XCTAssertTrue("\($0)".contains("written by a newer facemirror"), "\($0)") }
    }

    /// A study done before the landmark quality was judged is redone, and the run says why.
    func testAStudyDoneBeforeTheLandmarkQualitySaysWhyItIsRedone() {
        let before = ["crf=18", "detector=dlib HOG", "landmarks=dlib 68-point"]
        let now = OutputFingerprint(settings: before + ["landmark_quality=\(LandmarkQuality.version)"])
        XCTAssertNotEqual(now.digest, OutputFingerprint(settings: before).digest)
        XCTAssertEqual(now.change(from: before),
                       "this version judges the landmarks' quality (frames with poor landmarks are flagged and left out of the summary)")
        XCTAssertEqual(OutputFingerprint(settings: before + ["landmark_quality=2"]).change(from: before + ["landmark_quality=1"]),
                       "the settings or models changed (landmark_quality 1 → 2)")
    }
}
