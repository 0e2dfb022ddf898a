import Foundation

/// Which process holds SQLite's lock on a state file, asked of the kernel: SQLite locks byte ranges of
/// the database file with fcntl, and F_GETLK names the process whose lock is in the way. On this
/// machine only (a lock from another machine over NFS comes without a usable PID).
enum LockHolder {
    /// SQLite's lock bytes: PENDING, RESERVED and the SHARED range, 512 bytes from 1 GiB.
    private static let firstByte: off_t = 0x4000_0000, byteCount: off_t = 512

    /// "PID 4242 (facemirror process videos -o out)", or nil when no other process holds a lock on it.
    static func describe(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var lock = flock()
        lock.l_type = Int16(F_WRLCK)
        lock.l_whence = Int16(SEEK_SET)
        lock.l_start = firstByte
        lock.l_len = byteCount
        guard fcntl(fd, F_GETLK, &lock) == 0, lock.l_type != Int16(F_UNLCK), lock.l_pid > 0 else { return nil }
        let pid = Int(lock.l_pid)
        let command = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline")))
            .map { String(decoding: $0, as: UTF8.self).split(whereSeparator: { $0 == "\0" || $0 == "\n" }).joined(separator: " ") }
        return "PID \(pid)" + (command.map { $0.isEmpty ? "" : " (\($0))" } ?? "")
    }
}
