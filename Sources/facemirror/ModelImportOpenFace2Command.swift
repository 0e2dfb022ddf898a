import FaceModels
import ArgumentParser
import FaceMirror
import Foundation
import ModelStore

struct ModelImportOpenFace2Command: ReportingCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-openface2",
        abstract: "Record a local folder of OpenFace 2 AU models (an OpenFace checkout or copy) in the store.",
        discussion: """
            The folder must hold In-the-wild_aligned_PDM_68.txt, tris_68_full.txt and the svr_combined regressors (with \
            AU_all_best.txt, as OpenFace has it, or OpenFace 2.2's own choice of regressors). They are checked by loading them, \
            copied to the store's \(OpenFace2Catalog.folder) folder with their SHA-256 and OpenFace's licence note, and used by \
            `process` from then on (--au openface2 is the default once they are there).
            """)

    @Argument(help: "A folder of OpenFace 2 model files.", completion: .directory)
    var directory: String

    func execute() throws {
        // Loaded first: a folder that would not run is refused before anything is copied.
        let models = try OpenFace2Models(directory: directory)
        let store = ModelCommand.store()
        let root = store.openFace2Directory
        var entries: [ModelEntry] = []
        // OpenFace's layout: the selection file beside svr_combined/, the PDM under model/pdms/.
        let relative: (String) -> String = { path in
            let name = (path as NSString).lastPathComponent
            switch name {
            case OpenFace2Models.pdmFile: return "model/pdms/\(name)"
            case OpenFace2Models.triangulationFile, OpenFace2Models.selectionFile: return "AU_predictors/\(name)"
            default: return "AU_predictors/svr_combined/\(name)"
            }
        }
        try? FileManager.default.removeItem(at: root)
        for file in models.files {
            entries.append(try store.importFile(file, at: "\(OpenFace2Catalog.folder)/\(relative(file))", licence: OpenFace2Catalog.licence,
                                                note: "OpenFace 2 AU models (--au openface2), imported from \(directory)"))
        }
        _ = try OpenFace2Models(directory: root.path)
        print("imported \(entries.count) OpenFace 2 files into \(root.path) (licence: \(OpenFace2Catalog.licenceURL))")
    }
}
