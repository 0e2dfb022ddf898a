import ArgumentParser
import ModelStore

struct ModelFetchCommand: ReportingCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Download models over HTTPS (resuming partial downloads), checking their SHA-256.",
        discussion: """
            Without NAME, every model `model list` shows as available. FACEMIRROR_MODEL_CATALOG names a JSON file replacing the built-in list.
            `openface2-au` is OpenFace 2.2's AU models (--au openface2), fetched from OpenFace's repository only once you accept \
            OpenFace's licence (academic, non-commercial research use; no redistribution) with --accept-licence or \
            \(OpenFace2Catalog.acceptanceVariable)=1. FACEMIRROR_OPENFACE2_CATALOG replaces their list.
            """)

    @Argument(help: "Model names (see `facemirror model list`), or openface2-au.")
    var names: [String] = []

    @Flag(name: .customLong("accept-licence"), help: "Accept OpenFace's licence for openface2-au (\(OpenFace2Catalog.licenceURL)).")
    var acceptLicence = false

    func execute() throws {
        if names.contains(OpenFace2Catalog.name) {
            try fetchOpenFace2()
            if names.count == 1 { return }
        }
        let names = self.names.filter { $0 != OpenFace2Catalog.name }
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

    private func fetchOpenFace2() throws {
        guard acceptLicence || OpenFace2Catalog.acceptedInEnvironment() else {
            print("""
                OpenFace 2.2's AU models are OpenFace's, under its licence: academic or non-profit non-commercial research use only, \
                no redistribution, cite OpenFace in publications. Read it: \(OpenFace2Catalog.licenceURL)
                Nothing was downloaded. If you accept it: facemirror model fetch \(OpenFace2Catalog.name) --accept-licence \
                (or \(OpenFace2Catalog.acceptanceVariable)=1)
                """)
            throw ExitCode.failure
        }
        let store = ModelCommand.store()
        let files = try OpenFace2Catalog.files()
        var current = "", bar: DownloadProgress?
        let entries: [ModelEntry]
        do {
            entries = try store.fetchOpenFace2(files) { name, done, total in
                if name != current {
                    bar?.finish()
                    current = name
                    bar = DownloadProgress(label: name)
                }
                bar?.update(done: done, total: total)
            }
        } catch let error as StoreError {
            bar?.finish()
            guard case .unreachable = error else { throw error }
            ErrorReport.error(error)
            StandardError.write("""
                Nothing was installed. With a copy of OpenFace 2's model files (an OpenFace checkout, or the files carried over \
                from a machine that has them): facemirror model import-openface2 DIR

                """)
            throw ExitCode.failure
        }
        bar?.finish()
        print("fetched \(OpenFace2Catalog.name): \(entries.count) files in \(store.openFace2Directory.path), each matching its SHA-256 (licence: \(OpenFace2Catalog.licenceURL))")
    }
}
