import Foundation

/// What is at a path, the link itself rather than what it points to: before the tool replaces or
/// removes a file, it must be a plain file (never a link, a device or a folder someone put there).
public enum PathEntry: Equatable {
    case nothing
    case regularFile(bytes: Int, device: UInt64, inode: UInt64)
    /// A link, a device, a pipe or a folder.
    case other

    public static func at(_ path: String) -> PathEntry {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .nothing }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return .other }
        return .regularFile(bytes: Int(info.st_size), device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }
}
