import Crypto
import Foundation

/// SHA-256 of files, streamed through swift-crypto in 1 MiB pieces (model files are 100 MB and more).
public enum FileDigest {
    /// The lower-case hex SHA-256 of the file's bytes.
    public static func sha256(ofFile path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw FileDigestError(path: path) }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// The lower-case hex SHA-256 of bytes in memory.
    public static func sha256(of data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}

/// A file that cannot be opened for hashing.
public struct FileDigestError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public var description: String { "\(path): no such file (nothing to hash)" }
}
