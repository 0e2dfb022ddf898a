import Foundation

/// What is at a path, the link itself rather than what it points to: before the tool replaces or
/// removes a file, it must be a plain file (never a link, a device or a folder someone put there).
public enum PathEntry: Equatable {
    case nothing
    case regularFile(bytes: Int, device: UInt64, inode: UInt64)
    /// A link, a device, a pipe or a folder, in words ("a folder").
    case other(kind: String)

    public static func at(_ path: String) -> PathEntry {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .nothing }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return .other(kind: PathEntry.kind(info.st_mode)) }
        return .regularFile(bytes: Int(info.st_size), device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    /// A file type in words.
    public static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: return "a folder"
        case S_IFLNK: return "a symbolic link"
        case S_IFIFO: return "a named pipe (FIFO)"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        default: return "not a plain file"
        }
    }
}
