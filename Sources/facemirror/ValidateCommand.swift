import FaceMirrorCore
import ArgumentParser
import FaceMirror
import Foundation
import ModelToolchain

struct ValidateCommand: ReportingCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Compare two facemirror CSVs of the same video (e.g. from an original and an optimised model).",
        discussion: """
        Landmark CSVs: deviation per landmark and overall in pixels (mean, p95, max) and the worst frames; \
        fails when any landmark of any frame moved more than --landmark-tol. AU CSVs: mean absolute \
        difference and Pearson r per AU; fails when an AU's mean absolute difference exceeds --au-tol. \
        Frames are matched by their frame number; mismatched row counts are reported.
        """)

    @Argument(help: "The reference CSV.", completion: .file(extensions: ["csv"]))
    var first: String

    @Argument(help: "The CSV to check against it.", completion: .file(extensions: ["csv"]))
    var second: String

    @Option(help: "Largest landmark movement allowed, px.")
    var landmarkTol: Double = 2.0

    @Option(help: "Largest mean absolute AU difference allowed.")
    var auTol: Double = 0.05

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        guard landmarkTol >= 0, auTol >= 0 else { throw ValidationError("--landmark-tol and --au-tol must not be negative") }
    }

    func execute() throws {
        let result: CSVComparison
        do {
            result = try CSVComparison.compare(CSVTable(path: first), CSVTable(path: second), landmarkTolerance: landmarkTol, auTolerance: auTol)
        } catch {
            // 2, not 1: the files could not be compared at all (1 means they differ beyond tolerance).
            ErrorReport.error(error)
            throw ExitCode(2)
        }
        try printResult(result, text: result.text, json: json)
        if !result.passed { throw ExitCode.failure }
    }
}
