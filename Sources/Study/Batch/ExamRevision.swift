import FaceMirror
import FaceMirrorCore
import FileDigest
import Foundation
import Logging

/// A person's timeline for one processed video of a study (the workspace's editor saves it): written
/// as `<stem>_actions.csv` beside the video's outputs (never into the input folder), whole or not at
/// all; the exam made again from the outputs (the video is not decoded), the report made again, and the
/// study's state told, as a later `process` run that found the coding would have done.
public enum ExamRevision {
    /// `csv`: the coding (`action,start,end`, seconds). A coding that does not read (unknown code,
    /// overlap, bad time) is an error naming the line and leaves every file as it was.
    public static func save(_ csv: String, video record: VideoRecord, in folder: StudyFolder, logger: Logger) throws -> ExamResult {
        guard let relative = record.containedPath, record.status == .done else {
            throw ExamRevisionError(video: record.path, reason: "it has no outputs to analyse (status: \(record.status.label))")
        }
        let subfolder = (relative as NSString).deletingLastPathComponent
        let directory = subfolder.isEmpty ? folder.directory : folder.directory.appendingPathComponent(subfolder, isDirectory: true)
        let stem = OutputNames.stem(of: relative)
        let coding = directory.appendingPathComponent(TimelineInput.codingName(stem: stem))
        // Checked as any coding file is, under a temporary name, then moved over the old one.
        let temp = directory.appendingPathComponent(TemporaryName.next(suffix: ".csv"))
        do {
            try Data(csv.utf8).write(to: temp)
            _ = try ActionCoding(path: temp.path)
        } catch let error as ActionCodingError {
            unlink(temp.path)
            throw ExamRevisionError(video: record.path, reason: error.description.replacingOccurrences(of: temp.path, with: coding.lastPathComponent))
        } catch {
            unlink(temp.path)
            throw OutputError.cannotWrite(path: coding.path, reason: ErrorText.describe(error))
        }
        guard rename(temp.path, coding.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temp.path)
            throw OutputError.cannotWrite(path: coding.path, reason: reason)
        }
        var options = ProcessOptions(outputDirectory: directory)
        options.ownOutputs = Set(record.outputFiles.map { folder.directory.appendingPathComponent($0.path).standardizedFileURL.path })
        let input = record.source.isEmpty ? directory.appendingPathComponent(URL(fileURLWithPath: relative).lastPathComponent).path : record.source
        let exam = try ExamFromOutputs.redo(input, options: options, logger: logger)
        var files = OutputNames.examFiles(actionUnits: FileManager.default.fileExists(atPath: directory.appendingPathComponent(stem + OutputNames.rightAUs).path))
            .map { directory.appendingPathComponent(stem + $0) }
        files.append(directory.appendingPathComponent(stem + OutputNames.provenance))
        files.append(try VideoReport(directory: directory, stem: stem).write())
        // The state file that holds the video (one per shard) records the new files and where the timeline came from.
        let key = TimelineInput.sourceKey(input: input, outputDirectory: directory, actionsFile: nil, isOwnOutput: ProvenanceRecord.lists)
        for file in folder.files {
            let state = try StudyState(file: file)
            guard let row = try state.record(record.path), row.started == record.started else { continue }
            try state.finishExam(StudyInput(path: input, relativeDirectory: subfolder), files: files, examSource: key)
            break
        }
        return exam
    }
}

/// Why a video's timeline could not be saved or its exam made again.
public struct ExamRevisionError: Error, CustomStringConvertible, Sendable {
    public let video: String
    public let reason: String
    public var description: String { "\(video): \(reason)" }
}
