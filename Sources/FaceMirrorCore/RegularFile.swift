import Foundation

/// A file the tool is asked to read (a model, a file to hash), opened only if it is a plain file
/// once links are followed. A named pipe would block the reader forever and `/dev/zero` never ends,
/// so both are refused before a byte is read; the descriptor is checked, not the path, so nothing
/// can be swapped in between the check and the read.
public struct RegularFile {
    public let path: String
    public let handle: FileHandle
    public let bytes: Int

    /// The most an ONNX file can hold: protobuf messages are limited to 2 GiB (larger models keep
    /// their weights in external data files).
    public static let modelByteLimit = 1 << 31

    /// Opens `path` for reading; `limit` refuses files larger than that many bytes.
    public init(opening path: String, limit: Int? = nil) throws {
        // O_NONBLOCK: opening a pipe with no writer returns at once instead of waiting for one.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw RegularFileError(path: path, problem: .cannotOpen(errno: errno)) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let e = errno
            close(fd)
            throw RegularFileError(path: path, problem: .cannotOpen(errno: e))
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw RegularFileError(path: path, problem: .notRegular(kind: PathEntry.kind(info.st_mode)))
        }
        if let limit, Int(info.st_size) > limit {
            close(fd)
            throw RegularFileError(path: path, problem: .tooLarge(bytes: Int(info.st_size), limit: limit))
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        self.path = path
        self.handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        self.bytes = Int(info.st_size)
    }

    /// Throws unless `path` is a plain file (after links) of at most `limit` bytes.
    public static func check(_ path: String, limit: Int? = nil) throws {
        let file = try RegularFile(opening: path, limit: limit)
        try? file.handle.close()
    }

    /// The whole file, read through the checked descriptor.
    public static func contents(of path: String, limit: Int? = nil) throws -> Data {
        let file = try RegularFile(opening: path, limit: limit)
        defer { try? file.handle.close() }
        do {
            return try file.handle.readToEnd() ?? Data()
        } catch {
            throw RegularFileError(path: path, problem: .readFailed(reason: ErrorText.describe(error)))
        }
    }
}

/// Why a file could not be read as a plain file, in the tool's words, naming the file.
public struct RegularFileError: Error, CustomStringConvertible, Sendable {
    public enum Problem: Sendable, Equatable {
        case cannotOpen(errno: Int32)
        case notRegular(kind: String)
        case tooLarge(bytes: Int, limit: Int)
        case readFailed(reason: String)
        case writeFailed(reason: String)
    }

    public let path: String
    public let problem: Problem

    public init(path: String, problem: Problem) {
        self.path = path
        self.problem = problem
    }

    public var isMissing: Bool { problem == .cannotOpen(errno: ENOENT) }

    public var description: String { "\(path): \(reason)" }

    /// What is wrong, without the path.
    public var reason: String {
        switch problem {
        case .cannotOpen(let e) where e == ENOENT: return "no such file"
        case .cannotOpen(let e): return "cannot be opened (\(String(cString: strerror(e))))"
        case .notRegular(let kind): return "is \(kind), not a file; only plain files are read"
        case .tooLarge(let bytes, let limit): return "\(bytes) bytes, more than the \(limit) a file here may have"
        case .readFailed(let reason): return "cannot be read (\(reason))"
        case .writeFailed(let reason): return "cannot be written (\(reason))"
        }
    }
}
