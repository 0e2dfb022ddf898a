import FaceMirrorCore
import Foundation
import Logging

/// `--json-log FILE`: one JSON object per line for each event of a batch (video started, finished,
/// failed with its reason, warnings), written as it happens, for lab pipelines to follow.
public final class EventLog: @unchecked Sendable {
    public let path: String
    private let handle: FileHandle
    private let lock = NSLock()
    private var firstFailure: String?
    private var lost = 0

    public init(path: String) throws {
        // Created in place (FileManager.createFile goes through a hidden temporary a signal could leave).
        do {
            try Data().write(to: URL(fileURLWithPath: path))
            handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        } catch {
            throw EventLogError(path: path, reason: ErrorText.describe(error))
        }
        self.path = path
    }

    deinit { try? handle.close() }

    /// Appends `{"time": …, "event": …, …fields}`; values are strings, numbers or lists of them.
    public func record(_ event: String, _ fields: [String: Any] = [:]) {
        var object = fields
        object["event"] = event
        object["time"] = EventLog.timestamp()
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        lock.lock(); defer { lock.unlock() }
        do {
            try handle.write(contentsOf: data + Data("\n".utf8))
        } catch {
            // A full disk or a closed reader: the run goes on, and says at its end that the log is incomplete.
            if firstFailure == nil { firstFailure = ErrorText.describe(error) }
            lost += 1
        }
    }

    /// Why events could not be written, and how many were lost; nil while every event was written.
    public var failure: (reason: String, lostEvents: Int)? {
        lock.lock(); defer { lock.unlock() }
        return firstFailure.map { ($0, lost) }
    }

    static func timestamp() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: Date())
    }
}

/// The event log file cannot be made.
public struct EventLogError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let reason: String
    public var description: String { "\(path): cannot create the JSON log (\(reason))" }
}

/// Puts the tool's warnings and errors into the event log, beside wherever else they go.
public struct EventLogHandler: LogHandler {
    public var logLevel: Logger.Level = .warning
    public var metadata: Logger.Metadata = [:]
    private let log: EventLog

    public init(log: EventLog) { self.log = log }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        log.record(event.level >= .error ? "error" : "warning", ["message": "\(event.message)"])
    }
}
