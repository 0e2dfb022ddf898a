import ArgumentParser
import Foundation
import Study

struct ReportCommand: ReportingCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Make each video's <stem>_report.html again from its outputs, and the study's index.html.",
        discussion: "Reads the CSVs, JSON summaries, provenance records and stills that `process` wrote (no video is decoded) and the study's state files for the list of videos, their status and their reasons."
    )

    @Argument(help: "The study's output folder (the -o of `process`).", completion: .directory)
    var directory: String

    @Flag(help: "Replace an index.html in the folder that facemirror did not write (never a link or a device).")
    var overwrite = false

    func execute() throws {
        let folder = try StudyFolder(directory: URL(fileURLWithPath: directory, isDirectory: true))
        let result = try StudyIndex(folder: folder).write(overwrite: overwrite)
        for problem in result.problems { ErrorReport.error(problem.error, input: problem.video) }
        print("\(result.index.path): \(result.reports) video report\(result.reports == 1 ? "" : "s") made")
        if !result.problems.isEmpty { throw ExitCode.failure }
    }
}
