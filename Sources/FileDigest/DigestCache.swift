import Foundation

/// SHA-256 of files, each hashed once per process unless its size or modification time changes
/// (a model file is shared by every video of a batch). A file being hashed by another thread is
/// waited for, not hashed twice, so `prefetch` can start the model files' hashes while the models load.
public final class DigestCache: @unchecked Sendable {
    public static let shared = DigestCache()
    private let lock = NSCondition()
    private var known: [String: (size: Int, modified: Date, sha256: String)] = [:]
    private var hashing: Set<String> = []

    public func sha256(_ path: String) throws -> (bytes: Int, sha256: String) {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        let modified = attributes[.modificationDate] as? Date ?? .distantPast
        lock.lock()
        while hashing.contains(path) { lock.wait() }
        if let k = known[path], k.size == size, k.modified == modified { lock.unlock(); return (size, k.sha256) }
        hashing.insert(path)
        lock.unlock()
        defer { lock.lock(); hashing.remove(path); lock.broadcast(); lock.unlock() }
        let sha = try FileDigest.sha256(ofFile: path)
        lock.lock(); known[path] = (size, modified, sha); lock.unlock()
        return (size, sha)
    }

    /// Starts hashing files in the background (errors surface when `sha256` is asked for them).
    public func prefetch(_ paths: [String]) {
        for path in paths {
            Thread.detachNewThread { _ = try? self.sha256(path) }
        }
    }
}
