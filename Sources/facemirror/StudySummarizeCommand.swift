import ArgumentParser
import Foundation
import Study

struct StudySummarizeCommand: ReportingCommand {
    static let configuration = CommandConfiguration(
        commandName: "summarize",
        abstract: "Write study_summary.csv (one row per video: status, frames, duration, face %, yaw, speed, settings fingerprint) and study_exam.csv (one row per video, movement and zone: the movement symmetry).",
        discussion: """
        Columns: \(StudySummaryTable.columns.joined(separator: ", ")). Numbers a video does not have \
        (it failed, or has no face) are NaN. face_percent: frames with a face; yaw_within_5deg_percent: of those, \
        the frames whose |head yaw| ≤ 5°; fingerprint: the SHA-256 of the options and model files its outputs were made with. \
        study_exam.csv, beside it, gathers each processed video's <stem>_exam.json: \
        \(StudyExamTable.columns.joined(separator: ", ")) (asked: 1 for the zone the movement asks for).
        """
    )

    @Argument(help: "The study's output folder (the -o of `process`).", completion: .directory)
    var directory: String

    @Option(name: [.short, .customLong("output")], help: "Where to write the table (default: study_summary.csv in the study's folder).",
            completion: .file(extensions: ["csv"]))
    var output: String?

    @Flag(help: "Replace a file at the table's path that facemirror did not write (never a link or a device).")
    var overwrite = false

    func execute() throws {
        let dir = URL(fileURLWithPath: directory, isDirectory: true)
        let folder = try StudyFolder(directory: dir)
        let records = try folder.records()
        let file = output.map { URL(fileURLWithPath: $0) } ?? dir.appendingPathComponent(StudySummaryTable.fileName)
        try StudySummaryTable.write(records, to: file, overwrite: overwrite)
        print("\(file.path): \(records.count) video\(records.count == 1 ? "" : "s")")
        let examFile = file.deletingLastPathComponent().appendingPathComponent(StudyExamTable.fileName)
        let exam = try StudyExamTable.write(records, in: folder, to: examFile, overwrite: overwrite)
        print("\(examFile.path): \(exam.movements) movement\(exam.movements == 1 ? "" : "s")"
              + (exam.without.isEmpty ? "" : "; \(exam.without.count) processed video\(exam.without.count == 1 ? " has" : "s have") no exam (its coding could not be used, or it was processed by an earlier version)"))
    }
}
