import ArgumentParser
import Foundation
import Study

struct StudyStatusCommand: ReportingCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Videos per status, the failed ones with their reasons, and what is running where."
    )

    @Argument(help: "The study's output folder (the -o of `process`).", completion: .directory)
    var directory: String

    @Option(help: "Seconds after which a claim of another machine that has stopped reporting counts as ended.")
    var staleAfter: Double = 300

    func validate() throws {
        guard staleAfter > 0 else { throw ValidationError("--stale-after must be more than 0 seconds") }
    }

    func execute() throws {
        let folder = try StudyFolder(directory: URL(fileURLWithPath: directory, isDirectory: true))
        print(try StudyStatus(folder: folder, staleAfter: staleAfter).text, terminator: "")
    }
}
