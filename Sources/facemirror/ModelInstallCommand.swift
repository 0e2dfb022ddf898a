import ArgumentParser
import ModelStore
import ModelToolchain

struct ModelInstallCommand: ReportingCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Put a (e.g. optimised) model in the store under a name, keeping the file it replaces as a backup.",
        discussion: "If the new file later fails to load, `process` falls back to the backup and says so.")

    @Argument(help: "The new model file.", completion: .file(extensions: ["onnx"]))
    var model: String

    @Option(name: .customLong("as"), help: "The name to store it under.")
    var name: String

    func execute() throws {
        let store = ModelCommand.store()
        let e = try store.install(model, as: name, check: ONNXFile.problem(at:))
        print("installed \(e.name): \(store.path(of: e)) sha256 \(e.sha256)" + (e.backup.map { "; previous file kept as \($0)" } ?? ""))
    }
}
