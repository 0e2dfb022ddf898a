import ArgumentParser
import ModelStore

/// `facemirror model`: the model store's commands and the toolchain's, listed in two groups.
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Model store (list, import, fetch, install) and toolchain (analyze, optimize, coverage).",
        discussion: "The store is one folder per user: FACEMIRROR_MODELS, else $XDG_DATA_HOME/facemirror/models (~/.local/share/facemirror/models).",
        groupedSubcommands: [
            CommandGroup(name: "Model store", subcommands: [ModelListCommand.self, ModelImportCommand.self, ModelImportOpenFace2Command.self, ModelFetchCommand.self,
                                                             ModelInstallCommand.self]),
            CommandGroup(name: "Model toolchain", subcommands: [ModelAnalyzeCommand.self, ModelOptimizeCommand.self,
                                                                 ModelCoverageCommand.self]),
        ]
    )

    /// The user's store.
    static func store() -> ModelStore { ModelStore(directory: ModelStore.defaultDirectory()) }
}
