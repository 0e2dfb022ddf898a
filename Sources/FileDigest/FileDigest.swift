import Crypto
import FaceMirrorCore
import Foundation

/// SHA-256 of files, streamed through swift-crypto in 1 MiB pieces (model files are 100 MB and more).
public enum FileDigest {
    /// The lower-case hex SHA-256 of the file's bytes. Only a plain file is read (a pipe or a device
    /// would never end).
    public static func sha256(ofFile path: String) throws -> String {
        let file: RegularFile
        do {
            file = try RegularFile(opening: path)
        } catch let error as RegularFileError where error.isMissing {
            throw FileDigestError(path: path)
        }
        defer { try? file.handle.close() }
        var hasher = SHA256()
        while let chunk = try file.handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
        }
        return hex(hasher.finalize())
    }

    /// Copies `source` (a plain file of at most `limit` bytes) to a new file at `destination`, which
    /// must not exist, hashing on the way; returns the SHA-256 and the size. A failed copy leaves no
    /// file at `destination`.
    public static func copy(_ source: String, to destination: String, limit: Int? = nil) throws -> (sha256: String, bytes: Int) {
        let input = try RegularFile(opening: source, limit: limit)
        defer { try? input.handle.close() }
        let fd = open(destination, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw RegularFileError(path: destination, problem: .cannotOpen(errno: errno))
        }
        let output = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        var hasher = SHA256()
        var bytes = 0
        do {
            while let chunk = try input.handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                hasher.update(data: chunk)
                try output.write(contentsOf: chunk)
                bytes += chunk.count
                // The file may grow while it is read: the limit holds for what is copied.
                if let limit, bytes > limit { throw RegularFileError(path: source, problem: .tooLarge(bytes: bytes, limit: limit)) }
            }
            try output.synchronize()
            try output.close()
        } catch {
            try? output.close()
            unlink(destination)
            if error is RegularFileError { throw error }
            throw RegularFileError(path: destination, problem: .writeFailed(reason: ErrorText.describe(error)))
        }
        return (hex(hasher.finalize()), bytes)
    }

    private static func hex(_ digest: SHA256.Digest) -> String { digest.map { String(format: "%02x", $0) }.joined() }

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
