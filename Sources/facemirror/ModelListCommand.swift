import ArgumentParser
import Foundation
import FaceModels
import ModelStore

struct ModelListCommand: ReportingCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the stored models and those `fetch` can download.")

    func execute() throws {
        let store = ModelCommand.store()
        let stored = try store.entries()
        print("model store: \(store.directory.path)")
        if stored.isEmpty { print("  (empty)") }
        // OpenFace 2's AU models are one set of files: one line for all of them.
        let openFace2 = stored.filter { $0.name.hasPrefix(OpenFace2Catalog.folder + "/") }
        if !openFace2.isEmpty {
            let missing = openFace2.filter { !FileManager.default.fileExists(atPath: store.path(of: $0)) }.count
            print("  \(OpenFace2Catalog.name)  \(openFace2.count) files in \(store.openFace2Directory.path)\(missing > 0 ? "  [\(missing) files missing]" : "")  (--au openface2)")
            print("      licence: \(OpenFace2Catalog.licenceURL)")
        }
        for e in stored where !e.name.hasPrefix(OpenFace2Catalog.folder + "/") {
            let present = FileManager.default.fileExists(atPath: store.path(of: e)) ? "" : "  [file missing]"
            print("  \(e.name)  \(e.file)  \(e.bytes.map { "\($0) B" } ?? "")  sha256 \(e.sha256.prefix(12))…  \(e.licence)\(present)")
            print("      from \(e.source)")
        }
        // What fetch would add: the catalogue's models not stored, and OpenFace 2's set unless it is.
        let installed = Set(stored.filter { FileManager.default.fileExists(atPath: store.path(of: $0)) }.map(\.name))
        let fetchable = try ModelCatalog.entries().filter { !installed.contains($0.name) }
        let openFace2Installed = (try? OpenFace2Models(directory: store.openFace2Directory.path)) != nil
        guard !fetchable.isEmpty || !openFace2Installed else { return }
        print("available to fetch:")
        for e in fetchable {
            print("  \(e.name)  (\(e.licence))  \(e.note ?? "")")
        }
        if !openFace2Installed {
            print("  \(OpenFace2Catalog.name)  (OpenFace's academic licence: needs --accept-licence)  OpenFace 2.2's AU models, 19 files; --au openface2")
        }
    }
}
