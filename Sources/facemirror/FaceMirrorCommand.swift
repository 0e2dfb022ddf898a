import ArgumentParser

@main
struct FaceMirrorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "facemirror",
        abstract: "Splits faces in patient videos into mirrored hemifaces and measures them.",
        version: "0.1.0",
        subcommands: [ProcessCommand.self, StudyCommand.self, ReportCommand.self, ModelCommand.self, BenchCommand.self, ValidateCommand.self]
    )
}
