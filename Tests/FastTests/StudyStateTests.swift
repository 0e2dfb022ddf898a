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

    /// Marks `input` done in the state file as a finished run would, with the input's SHA-256 and no outputs.
    private func markDone(_ input: StudyInput, in out: URL) throws {
        let db = try DatabaseQueue(path: out.appendingPathComponent(StudyState.fileName(shard: nil)).path)
        try db.write {
            try $0.execute(sql: "UPDATE video SET status = 'done', sha256 = ?, fingerprint = ?, outputs = '[]', finished = '2026-12-01T10:00:00Z' WHERE path = ?",
                           arguments: [try FileDigest.sha256(ofFile: input.path), settings.digest, input.key])
        }
        try db.close()
    }

    /// `process coll/A -o O`, then `process coll/B -o O`, both holding p1/visit.mp4: B's file is not the
    /// video whose results O holds. Refused, naming both, unless --redo all or --overwrite; the same
    /// video found in another folder is still the same video.
    func testAnotherVideoAtTheSamePathIsRefusedNamingBoth() throws {
        let (out, input) = try study()
        let state = try StudyState(outputDirectory: out)
        try state.register([input])
        guard case .claimed = try state.claim(input, fingerprint: settings, redo: .failed) else { return XCTFail() }
        try markDone(input, in: out)
        let root = out.deletingLastPathComponent()
        // The same bytes in another folder: skipped, and the row notes where it is now.
        let moved = root.appendingPathComponent("moved/p1/visit.mp4")
        try FileManager.default.createDirectory(at: moved.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: input.path, toPath: moved.path)
        let movedInput = StudyInput(path: moved.path, relativeDirectory: "p1")
        try state.register([movedInput])
        guard case .skipped = try state.claim(movedInput, fingerprint: settings, redo: .failed) else { return XCTFail("the same video moved") }
        XCTAssertEqual(try state.record(input.key)?.source, moved.path)
        try markDone(movedInput, in: out)
        // Another video under the same relative path.
        let other = root.appendingPathComponent("B/p1/visit.mp4")
        try FileManager.default.createDirectory(at: other.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("another patient's visit".utf8).write(to: other)
        let otherInput = StudyInput(path: other.path, relativeDirectory: "p1")
        try state.register([otherInput])
        XCTAssertEqual(try state.record(input.key)?.source, moved.path, "registering does not rewrite a done video's source")
        guard case .refused(let why) = try state.claim(otherInput, fingerprint: settings, redo: .failed) else { return XCTFail("replaced silently") }
        XCTAssertTrue(why.hasPrefix("\(other.path): not the video this study processed on 2026-12-01T10:00:00Z as p1/visit.mp4"), why)
        XCTAssertTrue(why.contains("its results are of \(moved.path)"), why)
        XCTAssertTrue(why.contains("SHA-256 \(try FileDigest.sha256(ofFile: other.path).prefix(12))"), why)
        XCTAssertTrue(why.contains("--redo all or --overwrite"), why)
        let kept = try XCTUnwrap(state.record(input.key))
        XCTAssertEqual(kept.status, .done)
        XCTAssertEqual(kept.source, moved.path)
        XCTAssertEqual(kept.attempts, 1)
        // Changed in place: named once, as the same file with other content.
        try Data("re-exported".utf8).write(to: moved)
        guard case .refused(let inPlace) = try state.claim(movedInput, fingerprint: settings, redo: .failed) else { return XCTFail() }
        XCTAssertTrue(inPlace.hasPrefix("\(moved.path): not the video this study processed") && inPlace.contains("it has SHA-256"), inPlace)
        guard case .claimed(let replaced) = try state.claim(otherInput, fingerprint: settings, redo: .failed, replaceChangedInput: true) else {
            return XCTFail("--overwrite replaces")
        }
        XCTAssertEqual(replaced.why, "the input changed (it was \(moved.path)), --overwrite")
        XCTAssertEqual(try state.record(input.key)?.source, other.path)
        try markDone(otherInput, in: out)
        try Data("a third".utf8).write(to: other)
        guard case .claimed(let all) = try state.claim(otherInput, fingerprint: settings, redo: .all) else { return XCTFail("--redo all replaces") }
        XCTAssertEqual(all.why, "--redo all")
    }

    /// Two runs with other settings at once would leave a study half of each: while one holds a claim,
    /// the other takes none of the study's videos and says who holds it and what differs. Same settings:
    /// the usual sharing of the videos.
    func testALiveRunWithOtherSettingsKeepsTheStudy() throws {
        let (out, input) = try study()
        let second = StudyInput(path: input.path.replacingOccurrences(of: "visit.mp4", with: "visit2.mp4"), relativeDirectory: "p1")
        try Data("another".utf8).write(to: URL(fileURLWithPath: second.path))
        let other = try otherProcess()
        let theirs = try StudyState(outputDirectory: out, owner: try owner(of: other))
        try theirs.register([input, second])
        guard case .claimed = try theirs.claim(input, fingerprint: settings, redo: .failed) else { return XCTFail() }
        let mine = try StudyState(outputDirectory: out)
        let debug = OutputFingerprint(settings: settings.settings + ["debug_video=true"])
        for video in [input, second] {
            guard case .refused(let why) = try mine.claim(video, fingerprint: debug, redo: .failed) else { return XCTFail("\(video.key) taken") }
            XCTAssertEqual(why, "\(video.path): not started: \(try owner(of: other)) is processing this study with other settings "
                           + "(theirs → this run's: debug_video unset → true); running both would leave the study a mix of the two. "
                           + "Wait for that run to end, or stop it, then run again")
        }
        XCTAssertEqual(try mine.record(second.key)?.status, .queued, "left as it was")
        XCTAssertEqual(try mine.claim(input, fingerprint: settings, redo: .failed), .busy(try owner(of: other)))
        guard case .claimed = try mine.claim(second, fingerprint: settings, redo: .failed) else { return XCTFail("same settings share the study") }
        try mine.fail(second, reason: "stopped by the test")
        other.terminate()
        other.waitUntilExit()
        let third = try StudyState(outputDirectory: out, owner: ProcessOwner(host: ProcessOwner.current.host, pid: 1, start: 1))
        guard case .claimed = try third.claim(input, fingerprint: debug, redo: .failed) else {
            return XCTFail("its process ended: the claim is taken over, whatever its settings were")
        }
    }

    /// Another process holding the state file's write lock: the wait ends with an error naming that process
    /// (its PID and command line, from the kernel's lock table), not a bare "database is locked".
    func testALockedStateFileSaysWhoHoldsIt() throws {
        let (out, input) = try study()
        let file = out.appendingPathComponent(StudyState.fileName(shard: nil))
        _ = try StudyState(file: file)
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        holder.arguments = ["-c", "import sqlite3, sys, time; c = sqlite3.connect(sys.argv[1], isolation_level=None); "
                            + "c.execute('BEGIN EXCLUSIVE'); print('locked', flush=True); time.sleep(60)", file.path]
        let pipe = Pipe()
        holder.standardOutput = pipe
        try holder.run()
        addTeardownBlock { if holder.isRunning { holder.terminate() } }
        // Read to the line's end: with PYTHONUNBUFFERED set, the word and its newline come as two writes.
        var said = ""
        while !said.hasSuffix("\n") {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            said += String(decoding: chunk, as: UTF8.self)
        }
        XCTAssertEqual(said, "locked\n")
        let started = Date()
        XCTAssertThrowsError(try StudyState(file: file, lockWait: 3).register([input])) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix("\(file.path): study state: locked for 3 s by PID \(holder.processIdentifier) (/usr/bin/python3 -c import sqlite3"), text)
            XCTAssertTrue(text.contains("another facemirror is writing to this study, or hangs"), text)
        }
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 3)
        holder.terminate()
        holder.waitUntilExit()
        let state = try StudyState(file: file, lockWait: 3)
        try state.register([input])
        XCTAssertEqual(try state.record(input.key)?.status, .queued, "once the lock is gone")
    }

    /// A disk with room for a file's name but not its pages (a 32 KiB tmpfs filled to 4 KiB short): the
    /// state file cannot be made, and none is left behind, empty or half-made, for the next run to trust.
    func testAFullDiskLeavesNoStateFile() throws {
        guard geteuid() == 0 else { throw XCTSkip("mounting a small tmpfs needs root (CI runs as root)") }
        let dir = try Fixtures.scratch(self)
        let disk = dir.appendingPathComponent("small")
        try FileManager.default.createDirectory(at: disk, withIntermediateDirectories: true)
        let mounted = try Fixtures.run("/bin/mount", ["-t", "tmpfs", "-o", "size=32k", "tmpfs", disk.path], allowFailure: true)
        guard mounted.status == 0 else { throw XCTSkip("this machine does not let the tests mount a tmpfs: \(mounted.stderr)") }
        addTeardownBlock { _ = try? Fixtures.run("/bin/umount", [disk.path], allowFailure: true) }
        FileManager.default.createFile(atPath: disk.appendingPathComponent("fill").path, contents: Data(count: 28 * 1024))
        let out = disk.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        XCTAssertThrowsError(try StudyState(outputDirectory: out)) {
            XCTAssertEqual("\($0)", "\(out.path)/facemirror-study.sqlite: study state: the disk is full: no room to record the study's state; free some space and run again")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.path), [], "no state file, no journal")
    }

    /// The state file deleted while a run uses it, or a folder where it goes: said in words, not as
    /// SQLite's "attempt to write a readonly database" or "disk I/O error".
    func testAStateFileDeletedOrAFolderInItsPlaceIsSaidInWords() throws {
        let (out, input) = try study()
        let state = try StudyState(outputDirectory: out)
        try state.register([input])
        let file = out.appendingPathComponent(StudyState.fileName(shard: nil))
        try FileManager.default.removeItem(at: file)
        XCTAssertThrowsError(try state.claim(input, fingerprint: settings, redo: .failed)) {
            XCTAssertTrue("\($0)".contains("the state file was deleted or moved while this run used it"), "\($0)")
        }
        try FileManager.default.createDirectory(at: file, withIntermediateDirectories: false)
        XCTAssertThrowsError(try StudyState(outputDirectory: out)) {
            XCTAssertEqual("\($0)", "\(file.path): study state: is a folder, not a study's state file; move it away (or give another output folder)")
        }
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
            XCTAssertEqual(try Int.fetchOne(db, sql: "PRAGMA user_version"), 6)
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

    /// The study keeps the `process` command that ran it, each argument that names a file or folder where
    /// it was typed made absolute (also after `--option=`), so that the workspace can run it again from
    /// anywhere; the last one recorded is the study's, and a file from before it was kept has none.
    func testTheStudyKeepsItsCommandWithItsPathsMadeAbsolute() throws {
        let (out, _) = try study()
        let dir = out.deletingLastPathComponent().path
        try Data("action,start,end\n".utf8).write(to: URL(fileURLWithPath: dir + "/codes.csv"))
        let typed = ["in", "-o", "out", "--actions=codes.csv", "--landmarks", "star", "--glob", "*.mp4", "-j", "2", "--json-log", "new.jsonl"]
        let command = RecordedCommand.resolving(typed, in: dir)
        XCTAssertEqual(command.arguments, [dir + "/in", "-o", dir + "/out", "--actions=" + dir + "/codes.csv", "--landmarks", "star",
                                           "--glob", "*.mp4", "-j", "2", "--json-log", "new.jsonl"],
                       "files and folders that exist are made absolute; a model's name, a pattern, a number and a file yet to be made are not")
        XCTAssertEqual(RecordedCommand(arguments: ["my videos", "-o", "it's"], directory: dir).shellText, "facemirror process 'my videos' -o 'it'\\''s'")

        let state = try StudyState(outputDirectory: out)
        XCTAssertNil(try state.command(), "none before a run records one")
        try state.record(command)
        try state.record(RecordedCommand(arguments: command.arguments + ["--no-report"], directory: dir))
        let kept = try XCTUnwrap(StudyFolder(directory: out).command())
        XCTAssertEqual(kept.arguments.last, "--no-report", "the last one recorded")
        XCTAssertEqual(kept.directory, dir)
        XCTAssertNotNil(kept.recorded)
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
        // A study done before the exam was analysed: redone once, saying why.
        let withQuality = before + ["landmark_quality=1"]
        XCTAssertEqual(OutputFingerprint(settings: withQuality + ["exam=\(ExamAnalysis.version)"]).change(from: withQuality),
                       "this version analyses the exam (the movements, their symmetry per zone; <stem>_exam.csv)")
    }

    /// A done video whose exam timeline now comes from elsewhere (a coding added, changed, or one that
    /// cannot be used) is claimed for its exam only, saying why; the same source again is skipped.
    func testAChangedTimelineSourceClaimsOnlyTheExam() throws {
        let (out, input) = try study()
        let state = try StudyState(outputDirectory: out)
        try state.register([input])
        guard case .claimed = try state.claim(input, fingerprint: settings, redo: .failed, examSource: "auto") else { return XCTFail("first claim") }
        try markDone(input, in: out)
        try state.finishExam(input, files: [], examSource: "auto")
        XCTAssertEqual(try state.claim(input, fingerprint: settings, redo: .failed, examSource: "auto"),
                       .skipped("done before with the same input, options and models"))
        guard case .claimed(let claim) = try state.claim(input, fingerprint: settings, redo: .failed, examSource: "coding file abc") else {
            return XCTFail("a coding appeared")
        }
        XCTAssertTrue(claim.examOnly)
        XCTAssertEqual(claim.why, "only the exam: its timeline was found automatically, now a person's coding")
        try state.finishExam(input, files: [], examSource: "coding file abc")
        XCTAssertEqual(try state.record(input.key)?.status, .done)
        XCTAssertEqual(try state.record(input.key)?.examSource, "coding file abc")
        guard case .claimed(let changed) = try state.claim(input, fingerprint: settings, redo: .failed, examSource: "coding file def") else {
            return XCTFail("the coding changed")
        }
        XCTAssertEqual(changed.why, "only the exam: the person's coding changed")
        // A coding that cannot be used is tried again on every run (and its error said each time).
        try state.finishExam(input, files: [], examSource: nil)
        for _ in 0..<2 {
            guard case .claimed(let bad) = try state.claim(input, fingerprint: settings, redo: .failed, examSource: "unusable x line 2: …") else {
                return XCTFail("a bad coding")
            }
            XCTAssertTrue(bad.examOnly)
            try state.finishExam(input, files: [], examSource: nil)
        }
        XCTAssertEqual(try state.record(input.key)?.examSource, "coding file abc", "kept until an exam is made")
        // Without a source (a caller that does not say), nothing about the exam is decided.
        XCTAssertEqual(try state.claim(input, fingerprint: settings, redo: .failed),
                       .skipped("done before with the same input, options and models"))
    }
}
