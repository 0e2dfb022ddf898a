import Logging

/// The tool's log lines on stderr in the form of its other messages: `facemirror: warning: …`,
/// `facemirror: error: …`, and with `-v` `facemirror: info: …` (no timestamp or label in between).
struct ToolLogHandler: LogHandler {
    var logLevel: Logger.Level = .warning
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let level: String
        switch event.level {
        case .trace, .debug: level = "debug"
        case .info, .notice: level = "info"
        case .warning: level = "warning"
        case .error, .critical: level = "error"
        }
        StandardError.write("facemirror: \(level): \(event.message)\n")
    }
}
