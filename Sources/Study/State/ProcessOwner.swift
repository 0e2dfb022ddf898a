import FaceMirrorCore
import Foundation

/// A process as a claim names it: machine, PID, and when the PID started (so that a PID the system
/// reused for another program does not pass for the one that claimed).
public struct ProcessOwner: Sendable, Equatable, CustomStringConvertible {
    public let host: String
    public let pid: Int
    /// The process's start time in clock ticks since boot (Linux `/proc/PID/stat`), nil where unknown.
    public let start: Int64?

    public init(host: String, pid: Int, start: Int64?) {
        self.host = host
        self.pid = pid
        self.start = start
    }

    /// This process.
    public static let current = ProcessOwner(host: ProcessOwner.hostName, pid: Int(getpid()), start: startTime(of: Int(getpid())))

    public var description: String { "process \(pid) on \(host)" }

    /// Whether the process still runs; only answerable for this machine's processes.
    public var isAlive: Bool {
        guard host == ProcessOwner.hostName else { return false }
        if kill(pid_t(pid), 0) != 0 && errno == ESRCH { return false }
        guard let start, let now = ProcessOwner.startTime(of: pid) else {
            // No start time to compare (not Linux, or the process just went): its existence decides.
            return kill(pid_t(pid), 0) == 0 || errno == EPERM
        }
        return now == start && !ProcessOwner.isZombie(pid)
    }

    static let hostName: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        gethostname(&buffer, buffer.count)
        let name = String(nulTerminated: buffer)
        return name.isEmpty ? "localhost" : name
    }()

    /// `/proc/PID/stat` split after the command name (which may hold spaces and parentheses).
    private static func statFields(_ pid: Int) -> [Substring]? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        return text[text.index(after: close)...].split(separator: " ")
    }

    /// Field 22 of `/proc/PID/stat` (the 20th after the command name).
    static func startTime(of pid: Int) -> Int64? {
        guard let fields = statFields(pid), fields.count > 19 else { return nil }
        return Int64(fields[19])
    }

    /// A process that has exited but was not yet reaped holds its PID: it counts as gone.
    private static func isZombie(_ pid: Int) -> Bool {
        statFields(pid)?.first == "Z"
    }
}
