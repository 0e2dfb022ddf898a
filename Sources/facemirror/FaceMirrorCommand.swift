import ArgumentParser
import FaceMirror

@main
struct FaceMirrorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "facemirror",
        abstract: "Splits faces in patient videos into mirrored hemifaces and measures them.",
        // `git describe` of the tree it was built from: the string each provenance record names.
        version: facemirrorBuildVersion,
        subcommands: [ProcessCommand.self, StudyCommand.self, ReportCommand.self, ServeCommand.self, ModelCommand.self, BenchCommand.self, ValidateCommand.self]
    )
}
