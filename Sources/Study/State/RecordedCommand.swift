import Foundation

/// The `process` command a study was last run with, kept in its state so that the workspace can run
/// it again (for the videos not yet done): its arguments after `process`, with every one that named
/// an existing file or folder made absolute, and the folder it ran in.
public struct RecordedCommand: Sendable, Equatable {
    public let arguments: [String]
    public let directory: String
    /// When it was recorded (ISO 8601, UTC); nil before it is.
    public let recorded: String?

    public init(arguments: [String], directory: String, recorded: String? = nil) {
        self.arguments = arguments
        self.directory = directory
        self.recorded = recorded
    }

    /// `arguments` as typed in `directory`, each that names something there (a video, a folder, a coding
    /// file, a model file) made absolute, in `--option=value` too: the command then means the same from
    /// anywhere. Names that are not files (a model's name in the store, a pattern, a number) stay as they are.
    public static func resolving(_ arguments: [String], in directory: String) -> RecordedCommand {
        func absolute(_ value: String) -> String {
            guard !value.isEmpty, !value.hasPrefix("/"), !value.hasPrefix("-") else { return value }
            let path = URL(fileURLWithPath: directory, isDirectory: true).appendingPathComponent(value).standardizedFileURL.path
            return FileManager.default.fileExists(atPath: path) ? path : value
        }
        let resolved = arguments.map { argument -> String in
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                return String(argument[...equals]) + absolute(String(argument[argument.index(after: equals)...]))
            }
            return absolute(argument)
        }
        return RecordedCommand(arguments: resolved, directory: directory)
    }

    /// As a shell would take it back: `facemirror process 'my videos' -o …`.
    public var shellText: String {
        (["facemirror", "process"] + arguments).map { word in
            word.allSatisfy({ $0.isLetter || $0.isNumber || "-_./=:,+@%".contains($0) }) && !word.isEmpty
                ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }.joined(separator: " ")
    }
}
