import ArgumentParser
import ModelStore
import ModelToolchain

struct ModelImportCommand: ReportingCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: "Copy model files into the store, recording their SHA-256.")

    @Argument(help: "ONNX files.", completion: .file(extensions: ["onnx"]))
    var paths: [String]

    @Option(help: "Name to record (one file only; default: the file name without extension).")
    var name: String?

    @Option(help: "Licence to record.")
    var licence: String?

    @Flag(help: "Replace a model already stored under the same name or file name.")
    var overwrite = false

    @Flag(name: .customLong("openface3"), help: "The files are OpenFace 3.0's weights converted to ONNX: record OpenFace's licence note (unless --licence is given).")
    var openFace3 = false

    func validate() throws {
        if name != nil && paths.count > 1 { throw ValidationError("--name goes with a single file") }
    }

    var recordedLicence: String { licence ?? (openFace3 ? ModelCatalog.openFace3Licence : "unknown") }

    func execute() throws {
        let store = ModelCommand.store()
        var failed = false
        for path in paths {
            do {
                let e = try store.importFile(path, name: name, licence: recordedLicence, overwrite: overwrite,
                                             check: ONNXFile.problem(at:))
                print("imported \(e.name): \(store.path(of: e)) sha256 \(e.sha256)" + (openFace3 ? " (licence: \(e.licence))" : ""))
            } catch {
                ErrorReport.error(error)
                failed = true
            }
        }
        if failed { throw ExitCode.failure }
    }
}
