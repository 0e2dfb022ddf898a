import ArgumentParser

/// `facemirror study`: what a study's state files say, read from its output folder.
struct StudyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "study",
        abstract: "Where a study stands (status) and its per-video table (summarize), from the output folder of `process`.",
        discussion: "Both read every state file in the folder (facemirror-study.sqlite, and one per shard for --shard runs); neither changes them.",
        subcommands: [StudyStatusCommand.self, StudySummarizeCommand.self]
    )
}
