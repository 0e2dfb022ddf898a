import FaceMirrorCore
import Foundation

/// The outputs of one video, each written under a hidden temporary name in its final folder and moved
/// to its final name only when every output is complete, all together:
/// - a file under a final name that is not ours (it appeared during the run, say) is never replaced
///   without `overwrite`; finding one moves none of ours in;
/// - with `overwrite`, the files replaced are set aside first and put back if a later move fails;
/// - a folder, a link or a device at a final name is never replaced, with `overwrite` or without;
/// - a failed run leaves nothing, a killed one only hidden temporaries, which the next run into the
///   same folder removes (`removeStaleTemporaries`).
///
/// Temporary names are short (`.fm-<host>-<pid>-<n><suffix>`), so that a stem long enough to fill
/// the file-name limit with its final names still has room for them.
public final class OutputFiles: @unchecked Sendable {
    public let directory: URL
    public let stem: String
    private var pending: [(temporary: String, final: String)] = []
    private var committed: [String] = []
    private let lock = NSLock()

    public init(directory: URL, stem: String) {
        self.directory = directory
        self.stem = stem
    }

    /// The first of the names `<stem><suffix>` longer than the output folder's file system takes (checked
    /// before a video is decoded, not when its outputs are moved in at the end), as an error naming `input`.
    public func nameTooLong(suffixes: [String], input: String) -> OutputError? {
        // The folder may not exist yet: its nearest existing parent is on the same file system, or else
        // 255 bytes, the limit of every common one.
        var probe = directory
        while !FileManager.default.fileExists(atPath: probe.path), probe.pathComponents.count > 1 { probe = probe.deletingLastPathComponent() }
        let reported = pathconf(probe.path, Int32(_PC_NAME_MAX))
        let limit = reported > 0 ? reported : 255
        for suffix in suffixes {
            let bytes = (stem + suffix).utf8.count
            if bytes > limit { return .nameTooLong(input: input, name: "…" + suffix, bytes: bytes, limit: limit) }
        }
        return nil
    }

    /// The first output name at which something other than a file sits (a folder, a link, a device),
    /// which no run replaces: checked before a video is decoded.
    public func notAFile(suffixes: [String]) -> OutputError? {
        for suffix in suffixes {
            if case .other(let kind) = PathEntry.at(finalPath(suffix)) { return .notAFile(path: finalPath(suffix), kind: kind) }
        }
        return nil
    }

    /// The final path of `<stem><suffix>`.
    public func finalPath(_ suffix: String) -> String {
        directory.appendingPathComponent(stem + suffix).path
    }

    /// The final paths of every output claimed so far, in the order they were claimed.
    public var finalPaths: [String] {
        lock.lock(); defer { lock.unlock() }
        return pending.map(\.final) + committed
    }

    /// Claims a temporary path for the output `<stem><suffix>`.
    public func temporaryPath(for suffix: String) -> String {
        let temp = directory.appendingPathComponent(TemporaryName.next(suffix: suffix)).path
        lock.lock(); pending.append((temp, finalPath(suffix))); lock.unlock()
        OutputFiles.registry.add(temp)
        return temp
    }

    /// Moves every temporary file to its final name, all or none. Without `overwrite` a final name that
    /// is already taken fails the commit (`OutputError.exist`) and nothing is moved.
    public func commit(overwrite: Bool) throws {
        lock.lock(); defer { lock.unlock() }
        var placed: [String] = []
        var setAside: [(final: String, aside: String)] = []
        func undo() {
            for p in placed { unlink(p) }
            for s in setAside { rename(s.aside, s.final) }
        }
        for (temp, final) in pending {
            if case .other(let kind) = PathEntry.at(final) {
                undo()
                throw OutputError.notAFile(path: final, kind: kind)
            }
            if overwrite, FileManager.default.fileExists(atPath: final) {
                let aside = directory.appendingPathComponent(TemporaryName.next(suffix: ".replaced")).path
                guard rename(final, aside) == 0 else {
                    let reason = String(cString: strerror(errno))
                    undo()
                    throw OutputError.cannotWrite(path: final, reason: reason)
                }
                OutputFiles.registry.add(aside)
                setAside.append((final, aside))
            }
            // Claim the final name only if it is free: O_EXCL fails on a file that is not ours.
            let fd = open(final, O_WRONLY | O_CREAT | O_EXCL, 0o644)
            if fd < 0 {
                let code = errno
                undo()
                if code == EEXIST { throw OutputError.exist(paths: [final]) }
                throw OutputError.cannotWrite(path: final, reason: String(cString: strerror(code)))
            }
            close(fd)
            placed.append(final)
            if rename(temp, final) != 0 {
                let reason = String(cString: strerror(errno))
                undo()
                throw OutputError.cannotWrite(path: final, reason: reason)
            }
        }
        for s in setAside {
            unlink(s.aside)
            OutputFiles.registry.remove(s.aside)
        }
        for (temp, final) in pending {
            OutputFiles.registry.remove(temp)
            committed.append(final)
        }
        pending.removeAll()
    }

    /// Gives up the output `<stem><suffix>` before the commit: its temporary file is deleted and no file
    /// of that name is made.
    public func drop(_ suffix: String) {
        lock.lock(); defer { lock.unlock() }
        let final = finalPath(suffix)
        for (temp, f) in pending where f == final {
            unlink(temp)
            OutputFiles.registry.remove(temp)
        }
        pending.removeAll { $0.final == final }
    }

    /// Deletes every temporary file not yet committed.
    public func discard() {
        lock.lock(); defer { lock.unlock() }
        for (temp, _) in pending {
            unlink(temp)
            OutputFiles.registry.remove(temp)
        }
        pending.removeAll()
    }

    /// Creates the output folder (and those above it) if missing. A path that runs through a file, or
    /// a folder that cannot be written, is an error naming the part that is in the way.
    public static func createDirectory(_ directory: URL) throws {
        var isDir: ObjCBool = false
        var probe = directory.standardizedFileURL
        while !FileManager.default.fileExists(atPath: probe.path, isDirectory: &isDir), probe.pathComponents.count > 1 {
            probe.deleteLastPathComponent()
        }
        if !isDir.boolValue {
            throw OutputError.cannotWrite(path: directory.path, reason: "cannot create the output folder: \(probe.path) is a file, not a folder")
        }
        // Each missing folder made in turn, so that a failure names the folder and the system's reason.
        var made = probe
        for part in directory.standardizedFileURL.pathComponents.dropFirst(probe.pathComponents.count) {
            made.appendPathComponent(part)
            if mkdir(made.path, 0o755) != 0 && errno != EEXIST {
                let code = errno
                let reason = String(cString: strerror(code))
                let parent = made.deletingLastPathComponent().path
                // A parent that is there but takes no new folder: not writable, read-only, or a system
                // folder such as /proc (whose refusal reads "No such file or directory").
                let refused = [EACCES, EPERM, EROFS, ENOENT].contains(code) || access(parent, W_OK) != 0
                let why = refused ? "\(parent) does not take new folders (\(reason))" : "\(made.path): \(reason)"
                throw OutputError.cannotWrite(path: directory.path, reason: "cannot create the output folder: \(why)")
            }
        }
        guard access(directory.path, W_OK) == 0 else {
            throw OutputError.cannotWrite(path: directory.path, reason: "the output folder is not writable")
        }
    }

    /// Deletes the temporaries that runs on this machine left in `directory` when they were killed
    /// (their process is gone); those of a run still going, or of another machine, are left alone.
    /// Returns the paths removed.
    @discardableResult
    public static func removeStaleTemporaries(in directory: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        var removed: [String] = []
        for name in names {
            guard let owner = TemporaryName.owner(of: name), owner.host == TemporaryName.host, owner.pid != getpid(),
                  kill(owner.pid, 0) != 0, errno == ESRCH else { continue }
            let path = directory.appendingPathComponent(name).path
            if unlink(path) == 0 { removed.append(path) }
        }
        return removed
    }

    /// Every temporary file of this process, so an interrupt handler can delete them.
    public static let registry = TemporaryRegistry()

    public final class TemporaryRegistry: @unchecked Sendable {
        private let lock = NSLock()
        private var paths = Set<String>()
        func add(_ p: String) { lock.lock(); paths.insert(p); lock.unlock() }
        func remove(_ p: String) { lock.lock(); paths.remove(p); lock.unlock() }
        /// Deletes every registered temporary file.
        public func removeAll() {
            lock.lock(); defer { lock.unlock() }
            for p in paths { unlink(p) }
            paths.removeAll()
        }
    }
}

/// Names of temporary files: `.fm-<host>-<pid>-<n><suffix>`, which say which run on which machine
/// made them.
public enum TemporaryName {
    /// This machine's name as temporaries carry it (no '-', at most 24 characters).
    public static let host: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        gethostname(&buffer, buffer.count)
        let name = String(nulTerminated: buffer).replacingOccurrences(of: "-", with: "_")
        return String((name.isEmpty ? "host" : name).prefix(24))
    }()

    private static let lock = NSLock()
    nonisolated(unsafe) private static var counter = 0

    /// A new temporary name in this process: files of a run killed on this machine are removed by the
    /// next run into their folder (`OutputFiles.removeStaleTemporaries`).
    public static func next(suffix: String) -> String {
        lock.lock(); defer { lock.unlock() }
        counter += 1
        return ".fm-\(host)-\(getpid())-\(counter)\(suffix)"
    }

    /// The machine and process that made a temporary, or nil for any other name.
    static func owner(of name: String) -> (host: String, pid: Int32)? {
        guard name.hasPrefix(".fm-") else { return nil }
        let parts = name.dropFirst(4).split(separator: "-", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count >= 3, let pid = Int32(parts[1]), pid > 0, parts[2].first?.isNumber == true else { return nil }
        return (String(parts[0]), pid)
    }
}
