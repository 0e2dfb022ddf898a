import FaceMirror
import FaceMirrorCore
import FileDigest
import Foundation
import GRDB
import Logging

/// Which videos a rerun does again.
public enum RedoPolicy: String, CaseIterable, Sendable {
    /// Only new and interrupted videos; failed ones stay failed.
    case none
    /// New, interrupted and failed videos (the default).
    case failed
    /// Every video, replacing its outputs.
    case all
}

/// What a process may do with one video of the study.
public enum ClaimDecision: Sendable, Equatable {
    /// It is this process's now.
    case claimed(Claim)
    /// Nothing to do; why.
    case skipped(String)
    /// Another process that is alive works on it, with the same settings.
    case busy(ProcessOwner)
    /// Not taken, and the run must say so as an error: the file at this path is not the video the
    /// study's results are of, or another live run works on the study with other settings.
    case refused(String)
}

/// A video this process has claimed.
public struct Claim: Sendable, Equatable {
    /// Why it is (re)done: nil for a video never started before.
    public let why: String?
    /// What an earlier run of it wrote (to be replaced, and removed where the new run writes less).
    public let previousOutputs: [OutputFile]
    /// A process of this study has started on it before: outputs under its names are the study's own.
    public let startedBefore: Bool
    /// Only its exam is made again, from its outputs: everything else is as the study has it, but the
    /// exam's timeline now comes from elsewhere (a person's coding appeared or changed).
    public var examOnly = false
}

/// The state of a study (or of one shard of it) in a SQLite file in the output folder: one row per
/// video. Every change is a transaction; a claim is an immediate (write-locked) transaction, so two
/// processes on one file never both take a video. SQLite's locks are not to be trusted on network
/// filesystems: shards keep a file each (`fileName(shard:)`).
public final class StudyState: @unchecked Sendable {
    public static let filePrefix = "facemirror-study"

    /// `facemirror-study.sqlite`, or `facemirror-study-shard-K-of-N.sqlite` for a shard.
    public static func fileName(shard: Shard?) -> String {
        shard.map { "\(filePrefix)-shard-\($0.index)-of-\($0.count).sqlite" } ?? "\(filePrefix).sqlite"
    }

    /// The state files in an output folder.
    public static func files(in directory: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasPrefix(filePrefix) && $0.hasSuffix(".sqlite") }.sorted()
            .map { directory.appendingPathComponent($0) }
    }

    public let file: URL
    /// The output folder the recorded output paths are relative to.
    public let root: URL
    public let owner: ProcessOwner
    /// A claim of another machine whose heartbeat is older than this is taken over.
    public var staleAfter: TimeInterval = 300
    private let db: DatabaseQueue
    private let lockWait: TimeInterval

    /// Opens (creating it if needed) the state file of the study written to `outputDirectory`.
    public convenience init(outputDirectory: URL, shard: Shard? = nil, owner: ProcessOwner = .current, logger: Logger? = nil) throws {
        try self.init(file: outputDirectory.appendingPathComponent(StudyState.fileName(shard: shard)), owner: owner, logger: logger)
    }

    /// `lockWait`: how long to wait for another process's lock on the file before giving up; `logger`
    /// hears, after two seconds of waiting, which process holds it.
    public init(file: URL, owner: ProcessOwner = .current, readOnly: Bool = false, lockWait: TimeInterval = StudyState.lockWait,
                logger: Logger? = nil) throws {
        self.file = file
        root = file.deletingLastPathComponent()
        self.owner = owner
        self.lockWait = lockWait
        var config = Configuration()
        config.readonly = readOnly
        // Another process holding the write lock for a moment (a claim) is waited for, up to
        // `lockWait`; after two seconds the wait is logged with the process that holds the lock.
        config.busyMode = .callback(StudyState.waitForLock(file.path, limit: lockWait, logger: logger))
        // A state file this call makes and cannot complete (a full disk, say) is removed: an empty or
        // half-made file would be taken for a study's state by the next run.
        let entry = PathEntry.at(file.path)
        if case .other(let kind) = entry {
            throw StudyStateError(file: file.path, reason: "is \(kind), not a study's state file; move it away (or give another output folder)")
        }
        let isNew = !readOnly && entry == .nothing
        do {
            do {
                db = try DatabaseQueue(path: file.path, configuration: config)
                if !readOnly { try StudyState.createSchema(db) }
            } catch {
                if isNew { StudyState.removeNewFile(file.path) }
                throw error
            }
        } catch let error as StudyStateError {
            throw StudyStateError(file: file.path, reason: error.reason)
        } catch let error as DatabaseError {
            throw StudyState.describe(error, file: file.path, lockWait: lockWait)
        } catch {
            throw StudyStateError(file: file.path, reason: "\(error)")
        }
    }

    /// The schema's steps, through GRDB's migrator (which records each step it applied in the file).
    /// Each step may meet a file made before the migrator recorded anything (those files carry the
    /// same tables, and `user_version`): it makes only what is missing. Each sets `user_version`, which
    /// builds from before the migrator check to refuse a newer file.
    public static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1: videos and fingerprints") { db in
            try db.create(table: "video", options: .ifNotExists) { t in
                t.primaryKey("path", .text)
                t.column("source", .text).notNull()
                t.column("bytes", .integer).notNull()
                t.column("modified", .double).notNull()
                t.column("sha256", .text)
                t.column("status", .text).notNull()
                    .check { VideoStatus.allCases.map(\.rawValue).contains($0) }
                t.column("reason", .text)
                t.column("attempts", .integer).notNull().defaults(to: 0)
                t.column("host", .text)
                t.column("pid", .integer)
                t.column("process_start", .integer)
                t.column("heartbeat", .double)
                t.column("started", .text)
                t.column("finished", .text)
                t.column("fingerprint", .text)
                t.column("outputs", .text)
                t.column("frames", .integer)
                t.column("duration_seconds", .double)
                t.column("frame_rate", .double)
                t.column("frames_with_face", .integer)
                t.column("detector_runs", .integer)
                t.column("median_abs_yaw", .double)
                t.column("frames_yaw_within5", .integer)
                t.column("processing_fps", .double)
            }
            // What each fingerprint stands for, so that a reader can see which settings made a video.
            try db.create(table: "fingerprint", options: .ifNotExists) { t in
                t.primaryKey("digest", .text)
                t.column("settings", .text).notNull()
            }
            try setUserVersion(1, db)
        }
        m.registerMigration("v2: median asymmetry index per zone") { db in
            let existing = Set(try db.columns(in: "video").map(\.name))
            for zone in ["brow", "eye", "midface", "mouth", "overall"] where !existing.contains("\(zone)_index") {
                try db.alter(table: "video") { t in t.add(column: "\(zone)_index", .double) }
            }
            try setUserVersion(2, db)
        }
        m.registerMigration("v3: landmark quality") { db in
            let existing = Set(try db.columns(in: "video").map(\.name))
            if !existing.contains("frames_poor_landmarks") { try db.alter(table: "video") { t in t.add(column: "frames_poor_landmarks", .integer) } }
            if !existing.contains("poor_landmarks") { try db.alter(table: "video") { t in t.add(column: "poor_landmarks", .text) } }
            try setUserVersion(3, db)
        }
        m.registerMigration("v4: the settings a live claim runs with") { db in
            if !Set(try db.columns(in: "video").map(\.name)).contains("claim_fingerprint") {
                try db.alter(table: "video") { t in t.add(column: "claim_fingerprint", .text) }
            }
            try setUserVersion(4, db)
        }
        m.registerMigration("v5: where the exam's timeline came from") { db in
            if !Set(try db.columns(in: "video").map(\.name)).contains("exam_source") {
                try db.alter(table: "video") { t in t.add(column: "exam_source", .text) }
            }
            try setUserVersion(5, db)
        }
        m.registerMigration("v6: the command that runs the study") { db in
            // One row: the last `process` command that did work here, to be run again from the workspace.
            try db.create(table: "command", options: .ifNotExists) { t in
                t.primaryKey("id", .integer).check { $0 == 1 }
                t.column("arguments", .text).notNull()
                t.column("directory", .text).notNull()
                t.column("recorded", .text).notNull()
            }
            try setUserVersion(6, db)
        }
        return m
    }

    private static func setUserVersion(_ version: Int, _ db: Database) throws {
        if try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 < version { try db.execute(sql: "PRAGMA user_version = \(version)") }
    }

    /// Brings the file to this build's schema. Two processes opening a new study at once may both start
    /// the same step; the second then finds it recorded and is retried once past it.
    private static func createSchema(_ queue: DatabaseQueue) throws {
        let migrator = StudyState.migrator
        if try queue.read({ try migrator.hasBeenSuperseded($0) }) {
            throw StudyStateError(file: "", reason: "written by a newer facemirror (its schema has steps this one does not know: \(try queue.read { try migrator.appliedIdentifiers($0) }.subtracting(migrator.migrations).sorted().joined(separator: ", ")))")
        }
        for attempt in 0..<3 {
            do {
                try migrator.migrate(queue)
                return
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT && attempt < 2 {
                continue
            }
        }
    }

    /// Every row.
    public func records() throws -> [VideoRecord] {
        try wrap { try db.read { try VideoRecord.order(Column("path")).fetchAll($0) } }
    }

    public func record(_ key: String) throws -> VideoRecord? {
        try wrap { try db.read { try VideoRecord.fetchOne($0, key: key) } }
    }

    /// Keeps `command` as the study's command (the one before it is replaced).
    public func record(_ command: RecordedCommand) throws {
        let arguments = String(decoding: try JSONSerialization.data(withJSONObject: command.arguments, options: [.withoutEscapingSlashes]), as: UTF8.self)
        try wrap {
            try db.write { db in
                try db.execute(sql: "INSERT OR REPLACE INTO command (id, arguments, directory, recorded) VALUES (1, ?, ?, ?)",
                               arguments: [arguments, command.directory, StudyState.timestamp(Date())])
            }
        }
    }

    /// The study's command, when a `process` run recorded one (builds before it did not).
    public func command() throws -> RecordedCommand? {
        try wrap {
            try db.read { db in
                guard try db.tableExists("command"), let row = try Row.fetchOne(db, sql: "SELECT arguments, directory, recorded FROM command") else { return nil }
                let text: String = row["arguments"]
                guard let arguments = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String] else { return nil }
                return RecordedCommand(arguments: arguments, directory: row["directory"], recorded: row["recorded"])
            }
        }
    }

    /// The settings behind each fingerprint.
    public func fingerprints() throws -> [String: String] {
        try wrap {
            try db.read { db in
                Dictionary(try Row.fetchAll(db, sql: "SELECT digest, settings FROM fingerprint").map { ($0["digest"], $0["settings"]) },
                           uniquingKeysWith: { a, _ in a })
            }
        }
    }

    /// Adds the videos not yet known as queued (one transaction), and notes where each not yet
    /// processed is now (a processed one keeps the source its results were made from until `claim`
    /// has compared the two).
    public func register(_ inputs: [StudyInput]) throws {
        try wrap {
            try db.write { db in
                for input in inputs {
                    let identity = try InputIdentity(path: input.path)
                    if var row = try VideoRecord.fetchOne(db, key: input.key) {
                        if row.source != input.path, row.status != .done, row.status != .noFace { row.source = input.path; try row.update(db) }
                    } else {
                        try VideoRecord(path: input.key, source: input.path, bytes: identity.bytes, modified: identity.modified).insert(db)
                    }
                }
            }
        }
    }

    /// Decides, in one write-locked transaction, whether this process takes `input`: a video done with
    /// the same input and settings whose outputs are all in place is skipped; one that a live process
    /// holds is busy; anything else is claimed (new, interrupted, failed unless `redo` is `.none`,
    /// changed settings, outputs missing, or `redo` is `.all`). Refused: a done video whose file now
    /// has other content (another folder's video of the same name, say) unless `redo` is `.all` or
    /// `replaceChangedInput`; any video while another live run works on the study with other settings.
    /// `examSource`: where the video's exam timeline would come from now (`TimelineInput.sourceKey`); a
    /// done video whose outputs were made with another is claimed for its exam only.
    public func claim(_ input: StudyInput, fingerprint: OutputFingerprint, redo: RedoPolicy,
                      replaceChangedInput: Bool = false, examSource: String? = nil) throws -> ClaimDecision {
        let identity = try InputIdentity(path: input.path)
        var before = try record(input.key)
        // A video this file has never started may have been worked on under another state file of the
        // folder (the study ran in shards before, say): that row is taken over as this file's own.
        var adopted: VideoRecord?
        if before == nil || before?.attempts == 0, let sibling = siblingRecord(input.key) {
            adopted = sibling
            before = sibling
        }
        // Hashing happens before the lock is taken: only when size or time say the input may have changed.
        var changed = false
        var digest: String?
        if let before, before.status == .done || before.status == .noFace, !identity.matches(before) {
            digest = try DigestCache.shared.sha256(input.path).sha256
            changed = before.sha256 != digest
        }
        let now = Date()
        return try wrap {
            try db.writeWithoutTransaction { db in
                var decision = ClaimDecision.skipped("")
                try db.inTransaction(.immediate) {
                    var row = try VideoRecord.fetchOne(db, key: input.key)
                        ?? VideoRecord(path: input.key, source: input.path, bytes: identity.bytes, modified: identity.modified)
                    if row.attempts == 0, let adopted { row = adopted }
                    if row.status == .running, let holder = holder(of: row), isAlive(holder, row: row, now: now) {
                        if let theirs = row.claimFingerprint, theirs != fingerprint.digest {
                            decision = .refused(try otherSettings(db, holder: holder, digest: theirs, ours: fingerprint, video: input.path))
                        } else {
                            decision = .busy(holder)
                        }
                        return .rollback
                    }
                    var why: String?
                    var examOnly = false
                    switch row.status {
                    case .done, .noFace:
                        if redo == .all { why = "--redo all" }
                        else if changed {
                            guard replaceChangedInput else {
                                decision = .refused(StudyState.changedInput(row, now: input.path, digest: digest, bytes: identity.bytes))
                                return .rollback
                            }
                            why = "the input changed (" + (row.source == input.path ? "new content" : "it was \(row.source)") + "), --overwrite"
                        }
                        else if row.fingerprint != fingerprint.digest {
                            let old = try row.fingerprint.flatMap { try String.fetchOne(db, sql: "SELECT settings FROM fingerprint WHERE digest = ?", arguments: [$0]) }
                            why = fingerprint.change(from: old.map { $0.split(separator: "\n").map(String.init) } ?? [])
                        }
                        else if let missing = missingOutput(row) { why = "\(missing) is missing" }
                        else if let examSource, row.examSource != examSource || examSource.hasPrefix(TimelineInput.unusableKey) {
                            // Only the exam: claimed below like any other video, with the reason.
                            examOnly = true
                            why = TimelineInput.change(from: row.examSource, to: examSource)
                        }
                        else {
                            if !identity.matches(row) || adopted != nil || row.source != input.path {
                                (row.bytes, row.modified) = (identity.bytes, identity.modified)
                                row.source = input.path  // the same video, found in another place
                                try row.save(db)
                            }
                            decision = .skipped("done before with the same input, options and models" + (row.status == .noFace ? " (no face in it)" : ""))
                            return .commit
                        }
                    case .failed:
                        if redo == .none {
                            decision = .skipped("failed before (\(row.reason ?? "no reason recorded")); --redo failed retries it")
                            return .rollback
                        }
                        why = "failed before"
                    case .running:
                        why = "interrupted (\(holder(of: row).map(String.init(describing:)) ?? "its process") ended)"
                    case .queued:
                        why = row.attempts > 0 ? "interrupted" : nil
                    }
                    // Two live runs with different settings would leave the study a mix of both.
                    if let (holder, theirs) = try liveClaimWithOtherSettings(db, than: fingerprint.digest, now: now) {
                        decision = .refused(try otherSettings(db, holder: holder, digest: theirs, ours: fingerprint, video: input.path))
                        return .rollback
                    }
                    decision = .claimed(Claim(why: why, previousOutputs: row.outputFiles, startedBefore: row.attempts > 0, examOnly: examOnly))
                    row.claimFingerprint = fingerprint.digest
                    try db.execute(sql: "INSERT OR IGNORE INTO fingerprint (digest, settings) VALUES (?, ?)",
                                   arguments: [fingerprint.digest, fingerprint.settings.joined(separator: "\n")])
                    row.source = input.path
                    (row.bytes, row.modified) = (identity.bytes, identity.modified)
                    row.status = .running
                    row.reason = nil
                    row.attempts += 1
                    (row.host, row.pid, row.processStart) = (owner.host, owner.pid, owner.start)
                    row.heartbeat = now.timeIntervalSince1970
                    row.started = StudyState.timestamp(now)
                    row.finished = nil
                    try row.save(db)
                    return .commit
                }
                return decision
            }
        }
    }

    /// Says this process still works on `input` (for claims seen from other machines).
    public func heartbeat(_ input: StudyInput) throws {
        try wrap {
            try db.write { db in
                try db.execute(sql: "UPDATE video SET heartbeat = ? WHERE path = ? AND host = ? AND pid = ?",
                               arguments: [Date().timeIntervalSince1970, input.key, owner.host, owner.pid])
            }
        }
    }

    /// Records a processed video: its outputs (already in place) with their SHA-256, the settings, and
    /// what the summary reports. Done, or no-face when no frame had one.
    /// `extraFiles`: outputs made after the video's (its report), recorded with them.
    public func finish(_ input: StudyInput, summary: ProcessSummary, fingerprint: OutputFingerprint, extraFiles: [URL] = [],
                       examSource: String? = nil) throws {
        let directory = input.relativeDirectory
        func relative(_ name: String) -> String { directory.isEmpty ? name : directory + "/" + name }
        var outputs = summary.files.map { OutputFile(path: relative($0.name), bytes: $0.bytes, sha256: $0.sha256) }
        for file in extraFiles {
            let bytes = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber)?.intValue ?? 0
            outputs.append(OutputFile(path: relative(file.lastPathComponent), bytes: bytes, sha256: try FileDigest.sha256(ofFile: file.path)))
        }
        let inputDigest = try DigestCache.shared.sha256(input.path).sha256
        let outputsJSON = String(decoding: try JSONEncoder().encode(outputs), as: UTF8.self)
        try wrap {
            try db.write { db in
                guard var row = try VideoRecord.fetchOne(db, key: input.key) else { return }
                row.status = summary.framesWithFace == 0 ? .noFace : .done
                row.reason = summary.framesWithFace == 0 ? "no face in any frame" : nil
                row.sha256 = inputDigest
                row.fingerprint = fingerprint.digest
                row.outputs = outputsJSON
                row.examSource = examSource
                row.finished = StudyState.timestamp(Date())
                row.heartbeat = Date().timeIntervalSince1970
                row.frames = summary.frames
                row.durationSeconds = summary.durationSeconds
                row.frameRate = summary.frameRate
                row.framesWithFace = summary.framesWithFace
                row.detectorRuns = summary.detections
                row.medianAbsYaw = summary.medianAbsoluteYaw.isFinite ? summary.medianAbsoluteYaw : nil
                row.framesYawWithin5 = summary.framesYawWithin5
                row.processingFps = summary.report.fps
                row.framesPoorLandmarks = summary.landmarkQuality.poorFrames
                row.poorLandmarks = summary.landmarkQuality.reasons
                let zones = Dictionary(uniqueKeysWithValues: (summary.asymmetry?.zones ?? []).map { ($0.name, $0.index.median) })
                func finite(_ v: Double?) -> Double? { v.flatMap { $0.isFinite ? $0 : nil } }
                row.browIndex = finite(zones["brow"])
                row.eyeIndex = finite(zones["eye"])
                row.midfaceIndex = finite(zones["midface"])
                row.mouthIndex = finite(zones["mouth"])
                row.overallIndex = finite(summary.asymmetry?.overallIndex.median)
                try row.update(db)
                try db.execute(sql: "INSERT OR IGNORE INTO fingerprint (digest, settings) VALUES (?, ?)",
                               arguments: [fingerprint.digest, fingerprint.settings.joined(separator: "\n")])
            }
        }
    }

    /// Records a video whose exam was made again from its outputs: the files the exam rewrote (and the
    /// completion record and report with them) take their new sizes and SHA-256, the rest stay; the
    /// video is done again as before. `examSource` nil: the exam could not be made (a bad coding), the
    /// timeline's source stays what the outputs were made with, so that the next run tries again.
    public func finishExam(_ input: StudyInput, files: [URL], examSource: String?) throws {
        let directory = input.relativeDirectory
        func relative(_ name: String) -> String { directory.isEmpty ? name : directory + "/" + name }
        var replaced: [String: OutputFile] = [:]
        var gone = Set<String>()
        for file in files {
            // A file the exam no longer makes (no movements: no stills) leaves the list.
            guard FileManager.default.fileExists(atPath: file.path) else {
                gone.insert(relative(file.lastPathComponent))
                continue
            }
            let bytes = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber)?.intValue ?? 0
            let entry = OutputFile(path: relative(file.lastPathComponent), bytes: bytes, sha256: try FileDigest.sha256(ofFile: file.path))
            replaced[entry.path] = entry
        }
        try wrap {
            try db.write { db in
                guard var row = try VideoRecord.fetchOne(db, key: input.key) else { return }
                var outputs = row.outputFiles.filter { !gone.contains($0.path) }.map { replaced[$0.path] ?? $0 }
                outputs += replaced.values.filter { new in !outputs.contains { $0.path == new.path } }.sorted { $0.path < $1.path }
                row.outputs = String(decoding: try JSONEncoder().encode(outputs), as: UTF8.self)
                row.status = (row.framesWithFace ?? 1) == 0 ? .noFace : .done
                if let examSource { row.examSource = examSource }
                row.finished = StudyState.timestamp(Date())
                row.heartbeat = Date().timeIntervalSince1970
                try row.update(db)
            }
        }
    }

    /// Records that `input` failed, and why. Its earlier outputs (if any) stay recorded: they are still
    /// the study's, to be replaced or removed by the next run that processes it.
    public func fail(_ input: StudyInput, reason: String) throws {
        try wrap {
            try db.write { db in
                try db.execute(sql: "UPDATE video SET status = ?, reason = ?, finished = ? WHERE path = ?",
                               arguments: [VideoStatus.failed.rawValue, reason, StudyState.timestamp(Date()), input.key])
            }
        }
    }

    /// A rerun puts a video this process gives up without an outcome back in the queue.
    public func release(_ input: StudyInput) throws {
        try wrap {
            try db.write { db in
                try db.execute(sql: "UPDATE video SET status = ?, host = NULL, pid = NULL, process_start = NULL WHERE path = ? AND status = ?",
                               arguments: [VideoStatus.queued.rawValue, input.key, VideoStatus.running.rawValue])
            }
        }
    }

    /// The row another state file in the folder has for `key` and has started, the last started.
    private func siblingRecord(_ key: String) -> VideoRecord? {
        var best: VideoRecord?
        for other in StudyState.files(in: root) where other.lastPathComponent != file.lastPathComponent {
            guard let state = try? StudyState(file: other, readOnly: true), let r = try? state.record(key), r.attempts > 0 else { continue }
            if best == nil || (best?.started ?? "") < (r.started ?? "") { best = r }
        }
        return best
    }

    /// A video another live process holds with settings other than `digest`: that process and its settings' digest.
    private func liveClaimWithOtherSettings(_ db: Database, than digest: String, now: Date) throws -> (ProcessOwner, String)? {
        let rows = try VideoRecord.filter(Column("status") == VideoStatus.running.rawValue && Column("claim_fingerprint") != digest).fetchAll(db)
        for row in rows {
            guard let holder = holder(of: row), let theirs = row.claimFingerprint, !(holder.host == owner.host && holder.pid == owner.pid),
                  isAlive(holder, row: row, now: now) else { continue }
            return (holder, theirs)
        }
        return nil
    }

    /// Why a video is left to a live run with other settings, naming that run and what differs.
    private func otherSettings(_ db: Database, holder: ProcessOwner, digest: String, ours: OutputFingerprint, video: String) throws -> String {
        let theirs = try String.fetchOne(db, sql: "SELECT settings FROM fingerprint WHERE digest = ?", arguments: [digest])
        let differences = theirs.map { ours.differences(from: $0.split(separator: "\n").map(String.init)) } ?? "settings not recorded"
        return "\(video): not started: \(holder) is processing this study with other settings (theirs → this run's: \(differences)); "
            + "running both would leave the study a mix of the two. Wait for that run to end, or stop it, then run again"
    }

    /// Why a done video is not redone from a file with other content at its path, naming both files.
    static func changedInput(_ row: VideoRecord, now path: String, digest: String?, bytes: Int64) -> String {
        let then = "SHA-256 \(row.sha256.map { String($0.prefix(12)) } ?? "unknown")…, \(row.bytes) bytes"
        let current = "SHA-256 \(digest.map { String($0.prefix(12)) } ?? "unknown")…, \(bytes) bytes"
        let finished = row.finished.map { " on \($0)" } ?? ""
        let what = row.source == path
            ? "\(path): not the video this study processed\(finished) as \(row.path): it had \(then), it has \(current) now"
            : "\(path): not the video this study processed\(finished) as \(row.path): its results are of \(row.source) (\(then)), this file has \(current)"
        return what + "; its results are kept. --redo all or --overwrite replaces them with this file's; another output folder keeps both"
    }

    private func holder(of row: VideoRecord) -> ProcessOwner? {
        guard let host = row.host, let pid = row.pid else { return nil }
        return ProcessOwner(host: host, pid: pid, start: row.processStart)
    }

    /// This machine's processes are asked; another machine's claim lives while its heartbeat is fresh.
    private func isAlive(_ holder: ProcessOwner, row: VideoRecord, now: Date) -> Bool {
        if holder.host == owner.host { return holder.isAlive }
        return row.heartbeatIsFresh(staleAfter: staleAfter, now: now)
    }

    /// The first recorded output that is not in place with its recorded size.
    private func missingOutput(_ row: VideoRecord) -> String? {
        for file in row.outputFiles {
            let path = root.appendingPathComponent(file.path).path
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue
            if size != file.bytes { return file.path }
        }
        return nil
    }

    private func wrap<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as DatabaseError {
            throw StudyState.describe(error, file: file.path, lockWait: lockWait)
        }
    }

    /// The state file and SQLite's journal beside it, when they are plain files.
    private static func removeNewFile(_ path: String) {
        for p in [path, path + "-journal", path + "-wal", path + "-shm"] {
            if case .regularFile = PathEntry.at(p) { unlink(p) }
        }
    }

    /// SQLite's error in the tool's words; a lock that outlasted the wait names the process holding it.
    private static func describe(_ error: DatabaseError, file: String, lockWait: TimeInterval) -> StudyStateError {
        if error.extendedResultCode == .SQLITE_READONLY_DBMOVED {
            return StudyStateError(file: file, reason: "the state file was deleted or moved while this run used it; what this run did since is not recorded. Run the same command again: it redoes what is not recorded")
        }
        if error.resultCode == .SQLITE_FULL {
            return StudyStateError(file: file, reason: "the disk is full: no room to record the study's state; free some space and run again")
        }
        guard error.resultCode == .SQLITE_BUSY else { return StudyStateError(file: file, reason: error.message ?? "\(error)") }
        let holder = LockHolder.describe(file).map { "by \($0)" } ?? "by another process (on another machine, or one that ended meanwhile)"
        return StudyStateError(file: file, reason: "locked for \(Int(lockWait)) s \(holder); another facemirror is writing to this study, or hangs: wait for it or stop it")
    }

    /// How long a process waits for another's lock on the state file before it gives up (default).
    public static let lockWait: TimeInterval = 60

    /// SQLite's busy handler: waits 50 ms per try, says after 2 s which process holds the lock, and gives
    /// up after `limit` seconds.
    private static func waitForLock(_ path: String, limit: TimeInterval, logger: Logger?) -> Database.BusyCallback {
        let started = LockedDate()
        return { tries in
            if tries == 0 { started.set(Date()) }
            let waited = Date().timeIntervalSince(started.get())
            if waited >= limit { return false }
            if waited >= 2, let logger, started.markReported() {
                let holder = LockHolder.describe(path) ?? "another process"
                logger.warning("\(path): waiting for \(holder), which holds the study's state file (up to \(Int(limit)) s)")
            }
            usleep(50_000)
            return true
        }
    }

    static func timestamp(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: date)
    }
}

/// A video's size and modification time: unchanged, it is taken as the same file without hashing it.
struct InputIdentity {
    let bytes: Int64
    let modified: Double

    init(path: String) throws {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        bytes = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
    }

    func matches(_ row: VideoRecord) -> Bool { row.bytes == bytes && row.modified == modified }
}

/// The state file cannot be opened or written.
public struct StudyStateError: Error, CustomStringConvertible, Sendable {
    public let file: String
    public let reason: String
    public var description: String { "\(file): study state: \(reason)" }
}

/// The start of one wait for a lock, and whether it was reported (the busy handler is called from
/// whichever thread runs the statement).
private final class LockedDate: @unchecked Sendable {
    private let lock = NSLock()
    private var date = Date()
    private var reported = false
    func set(_ d: Date) { lock.lock(); date = d; reported = false; lock.unlock() }
    func get() -> Date { lock.lock(); defer { lock.unlock() }; return date }
    /// True the first time in a wait.
    func markReported() -> Bool { lock.lock(); defer { lock.unlock() }; if reported { return false }; reported = true; return true }
}
