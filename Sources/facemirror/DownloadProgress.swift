import Foundation

/// Download progress on stderr (bytes and percentage), redrawn at most 5 times a second.
final class DownloadProgress: @unchecked Sendable {
    private let label: String
    private var last = Date.distantPast
    private let tty = isatty(STDERR_FILENO) != 0
    private let lock = NSLock()

    init(label: String) { self.label = label }

    func update(done: Int64, total: Int64?) {
        lock.lock(); defer { lock.unlock() }
        guard Date().timeIntervalSince(last) > (tty ? 0.2 : 2) else { return }
        last = Date()
        let pct = total.map { String(format: " %.0f%%", 100 * Double(done) / Double(max($0, 1))) } ?? ""
        let text = "\(label): \(done / 1024) KiB\(total.map { " of \($0 / 1024) KiB" } ?? "")\(pct)"
        StandardError.write(tty ? "\r\u{1B}[K" + text : text + "\n")
    }

    func finish() {
        if tty { StandardError.write("\r\u{1B}[K") }
    }
}
