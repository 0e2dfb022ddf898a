import FaceMirrorCore
import Foundation

/// The outputs of one video, each written under a hidden temporary name in its final folder and
/// renamed only when every output is complete: a failed or killed run leaves nothing under a final name.
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
        let final = finalPath(suffix)
        let temp = directory.appendingPathComponent(".\(stem)\(suffix).partial-\(getpid())").path
        lock.lock(); pending.append((temp, final)); lock.unlock()
        OutputFiles.registry.add(temp)
        return temp
    }

    /// Renames every temporary file to its final name.
    public func commit() throws {
        lock.lock(); defer { lock.unlock() }
        for (temp, final) in pending {
            if rename(temp, final) != 0 {
                let reason = String(cString: strerror(errno))
                throw OutputError.cannotWrite(path: final, reason: reason)
            }
            OutputFiles.registry.remove(temp)
            committed.append(final)
        }
        pending.removeAll()
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
