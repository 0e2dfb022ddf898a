import FaceMirrorCore
import Foundation
import Logging
import MediaBinding
import Study

/// Prints a value as facemirror writes JSON (`JSONOutput`: snake_case keys, NaN written as "NaN").
func printJSON<T: Encodable>(_ value: T) throws {
    print(String(decoding: try JSONOutput.encode(value), as: UTF8.self), terminator: "")
}

/// A result as JSON (`--json`) or as its text report.
func printResult<T: Encodable>(_ value: T, text: String, json: Bool) throws {
    if json {
        try printJSON(value)
    } else {
        print(text, terminator: "")
    }
}

/// Runs `body` with a fresh scratch folder that is removed afterwards.
func withScratchDirectory<T>(_ label: String, _ body: (URL) throws -> T) throws -> T {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("facemirror-\(label)-\(getpid())-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    return try body(dir)
}

/// The tool's logger on stderr (details with `-v`, else warnings and errors), with FFmpeg's own
/// messages routed through it at the detail level: hidden unless `-v`.
/// With an event log, warnings and errors also go there.
func makeLogger(verbose: Bool, events: EventLog? = nil) -> Logger {
    var logger = Logger(label: "facemirror") { _ in
        let stderr = ToolLogHandler()
        guard let events else { return stderr }
        return MultiplexLogHandler([stderr, EventLogHandler(log: events)])
    }
    logger.logLevel = verbose ? .info : .warning
    let ffmpeg = logger
    MediaLog.route(verbose: verbose) { _, line in ffmpeg.info("\(line)") }
    return logger
}
