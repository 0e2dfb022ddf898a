import CFFmpeg
import FaceMirrorCore
import Foundation

/// FFmpeg's own messages (`moov atom not found`, `[h264 @ 0x…] …` on a damaged frame) go to a handler
/// the caller gives, one line at a time, instead of straight to stderr; errors are counted.
public enum MediaLog {
    public enum Level: Sendable { case error, warning, info }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var handler: (@Sendable (Level, String) -> Void)?
    nonisolated(unsafe) private static var pending = ""
    nonisolated(unsafe) private static var errors = 0
    nonisolated(unsafe) private static var errorsByTag: [Int: Int] = [:]
    nonisolated(unsafe) private static var lastTag = 0

    /// Sends FFmpeg's messages at `verbose` (information and up) or errors only to `handler`.
    public static func route(verbose: Bool, to handler: @escaping @Sendable (Level, String) -> Void) {
        lock.lock()
        self.handler = handler
        lock.unlock()
        av_log_set_level(verbose ? AV_LOG_INFO : AV_LOG_ERROR)
        cffmpeg_set_log_sink(ffmpegLogSink)
    }

    /// Messages at error level or worse since the program started (damaged packets, bad headers).
    public static var errorCount: Int {
        lock.lock(); defer { lock.unlock() }
        return errors
    }

    /// A new tag for one reader's contexts: its errors are also counted apart from others'.
    static func newTag() -> Int {
        lock.lock(); defer { lock.unlock() }
        lastTag += 1
        return lastTag
    }

    /// Errors logged by the contexts carrying `tag` (one reader's demuxer and decoder).
    static func errorCount(tag: Int) -> Int {
        lock.lock(); defer { lock.unlock() }
        return errorsByTag[tag] ?? 0
    }

    fileprivate static func receive(level: Int32, text: String, tag: Int) {
        lock.lock()
        if level <= AV_LOG_ERROR {
            errors += 1
            if tag != 0 { errorsByTag[tag, default: 0] += 1 }
        }
        pending += text
        guard pending.hasSuffix("\n") else { lock.unlock(); return }  // the rest of the line comes next
        let line = pending.trimmingCharacters(in: .whitespacesAndNewlines)
        pending = ""
        let h = handler
        lock.unlock()
        guard !line.isEmpty else { return }
        h?(level <= AV_LOG_ERROR ? .error : level <= AV_LOG_WARNING ? .warning : .info, line)
    }
}

/// Where the shim sends each formatted piece of a message.
private let ffmpegLogSink: cffmpeg_log_sink = { level, text, tag in
    guard let text else { return }
    MediaLog.receive(level: level, text: String(cString: text), tag: Int(tag))
}
