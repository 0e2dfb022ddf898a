import ArgumentParser
import ModelStore

struct ModelFetchCommand: ReportingCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Download models over HTTPS (resuming partial downloads), checking their SHA-256.",
        discussion: "Without NAME, every model `model list` shows as available. FACEMIRROR_MODEL_CATALOG names a JSON file replacing the built-in list.")

    @Argument(help: "Model names (see `facemirror model list`).")
    var names: [String] = []

    func execute() throws {
        let catalog = try ModelCatalog.entries()
        let unknown = names.filter { n in !catalog.contains { $0.name == n } }
        guard unknown.isEmpty else {
            throw ValidationError("unknown model \(unknown.joined(separator: ", ")); known: \(catalog.map(\.name).joined(separator: ", "))")
        }
        let wanted = names.isEmpty ? catalog : catalog.filter { names.contains($0.name) }
        let store = ModelCommand.store()
        var failed = false
        for entry in wanted {
            let bar = DownloadProgress(label: entry.name)
            do {
                let e = try store.fetch(entry) { done, total in bar.update(done: done, total: total) }
                bar.finish()
                print("fetched \(e.name): \(store.path(of: e)) sha256 \(e.sha256)")
            } catch {
                bar.finish()
                ErrorReport.error(error, input: entry.name)
                failed = true
            }
        }
        if failed { throw ExitCode.failure }
    }
}
