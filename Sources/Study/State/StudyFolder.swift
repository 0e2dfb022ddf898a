import Foundation

/// A study's output folder as the study commands read it: every state file in it (one per shard, or
/// one for the whole study), merged into one row per video.
public struct StudyFolder: Sendable {
    public let directory: URL
    public let files: [URL]

    public init(directory: URL) throws {
        self.directory = directory
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDir) else {
            throw StudyStateError(file: directory.path, reason: "no such folder")
        }
        guard isDir.boolValue else { throw StudyStateError(file: directory.path, reason: "not a folder; give a study's output folder") }
        files = StudyState.files(in: directory)
        guard !files.isEmpty else {
            throw StudyStateError(file: directory.path,
                                  reason: "no \(StudyState.filePrefix)*.sqlite here: this is not the output folder of a `facemirror process` run")
        }
    }

    /// One row per video, sorted by path. A video found in several files (a study run both whole and
    /// sharded, say) is given by the file that started it last.
    public func records() throws -> [VideoRecord] {
        var best: [String: VideoRecord] = [:]
        for file in files {
            for record in try StudyState(file: file, readOnly: true).records() {
                if let other = best[record.path], (other.started ?? "") >= (record.started ?? "") { continue }
                best[record.path] = record
            }
        }
        return best.values.sorted { $0.path < $1.path }
    }

    /// The settings behind each fingerprint, from every file.
    public func fingerprints() throws -> [String: String] {
        try files.reduce(into: [:]) { all, file in
            all.merge(try StudyState(file: file, readOnly: true).fingerprints()) { a, _ in a }
        }
    }
}

/// Whether the process named in a running video's row still works on it.
public enum ClaimHealth: Sendable, Equatable {
    /// Alive (this machine) or heard from within the stale limit (another machine).
    case alive(lastHeard: TimeInterval)
    /// Its process is gone or silent: the next run takes the video over.
    case ended
}

extension VideoRecord {
    /// The process of a `running` row; nil for other rows.
    public var holder: ProcessOwner? {
        guard status == .running, let host, let pid else { return nil }
        return ProcessOwner(host: host, pid: pid, start: processStart)
    }

    /// Seconds from its last heartbeat to `now`; negative when the heartbeat comes from a clock ahead of
    /// this machine's.
    public func sinceHeartbeat(_ now: Date = Date()) -> TimeInterval { now.timeIntervalSince1970 - (heartbeat ?? 0) }

    /// Heard from within `staleAfter`, either way: a heartbeat from a clock further ahead than that says no
    /// more about the process than one as far behind (it would otherwise hold the video for ever).
    public func heartbeatIsFresh(staleAfter: TimeInterval, now: Date = Date()) -> Bool { abs(sinceHeartbeat(now)) < staleAfter }

    /// How its claim stands, seen from this machine now.
    public func claimHealth(staleAfter: TimeInterval, now: Date = Date()) -> ClaimHealth? {
        guard let holder else { return nil }
        let heard = sinceHeartbeat(now)
        if holder.host == ProcessOwner.current.host { return holder.isAlive ? .alive(lastHeard: heard) : .ended }
        return heartbeatIsFresh(staleAfter: staleAfter, now: now) ? .alive(lastHeard: heard) : .ended
    }
}

extension StudyFolder {
    /// The command last recorded in any of the folder's state files.
    public func command() throws -> RecordedCommand? {
        try files.compactMap { try StudyState(file: $0, readOnly: true).command() }.max { ($0.recorded ?? "") < ($1.recorded ?? "") }
    }
}
