import ArgumentParser
import Foundation
import ModelStore

struct ModelListCommand: ReportingCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the stored models and those `fetch` can download.")

    func execute() throws {
        let store = ModelCommand.store()
        let stored = try store.entries()
        print("model store: \(store.directory.path)")
        if stored.isEmpty { print("  (empty)") }
        for e in stored {
            let present = FileManager.default.fileExists(atPath: store.path(of: e)) ? "" : "  [file missing]"
            print("  \(e.name)  \(e.file)  \(e.bytes.map { "\($0) B" } ?? "")  sha256 \(e.sha256.prefix(12))…  \(e.licence)\(present)")
            print("      from \(e.source)")
        }
        print("available to fetch:")
        for e in try ModelCatalog.entries() {
            print("  \(e.name)  (\(e.licence))  \(e.note ?? "")")
        }
    }
}
