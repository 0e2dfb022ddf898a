import FaceMirror
import Foundation
import Logging
import Study

/// What the workspace's Run asks for: the study's recorded command, run into the served folder, with
/// the number of jobs chosen on the page and, when some were ticked, only those videos.
public struct RunOrder: Sendable {
    public let command: RecordedCommand
    public let outputDirectory: URL
    public let jobs: Int?
    /// Videos by their names in the state; nil for every video of the study.
    public let videos: Set<String>?
}

/// A batch ready to run, as the front end that owns the command's syntax made it: the same run plan
/// and study batch as `process` builds from the same command.
public struct PreparedRun {
    public let batch: StudyBatch
    public let processors: [VideoProcessor]
    public let options: ProcessOptions
    public let staleAfter: TimeInterval
    public let writeReport: Bool
    /// Said before the run (the plan's notes: threads, models).
    public let notes: [String]

    public init(batch: StudyBatch, processors: [VideoProcessor], options: ProcessOptions, staleAfter: TimeInterval, writeReport: Bool,
                notes: [String]) {
        self.batch = batch
        self.processors = processors
        self.options = options
        self.staleAfter = staleAfter
        self.writeReport = writeReport
        self.notes = notes
    }
}

/// Turns a Run order into a prepared batch (the `facemirror` command parses the recorded arguments as
/// `process` does); what it throws is shown on the page.
public typealias RunPreparer = @Sendable (RunOrder, Logger) throws -> PreparedRun
