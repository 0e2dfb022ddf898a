import FaceMirrorCore
import Foundation

/// A model file the store knows: where it came from, what it must hash to, and its licence.
public struct ModelEntry: Codable, Sendable, Equatable {
    public var name: String
    public var file: String
    public var sha256: String
    public var source: String
    public var licence: String
    public var bytes: Int?
    public var note: String?
    /// The file this model replaced (`model install`), kept to fall back on.
    public var backup: String?

    /// A model's name: plain words joined by '/' (OpenFace 2's models are named by their place in its
    /// folders), each starting with a letter or digit, so that it can never climb out of anything.
    public static func isPlainName(_ name: String) -> Bool {
        guard name.unicodeScalars.count <= 200 else { return false }
        return name.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { word in
            guard let first = word.unicodeScalars.first, first.isASCII, CharacterSet.alphanumerics.contains(first), word.count <= 100 else { return false }
            return word.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0)) }
        }
    }

    /// A plain name made from a file's stem: other characters become '_', what leads up to the first letter
    /// or digit is dropped.
    public static func plainName(from stem: String) -> String {
        let allowed = stem.unicodeScalars.map { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0)) ? Character($0) : "_" }
        let name = String(String(allowed).drop { !($0.isASCII && ($0.isLetter || $0.isNumber)) }.prefix(100))
        return name.isEmpty ? "model" : name
    }

    /// What is wrong with an entry read from a file (a catalogue, the store's manifest): a name that is not
    /// plain, or a file that leaves the store (`ContainedPath`); nil when nothing is.
    public var problem: String? {
        if !ModelEntry.isPlainName(name) { return "\(StoreError.badName(name))" }
        if ContainedPath.relative(file) == nil { return "\(name): its file \(file) would lie outside the model store" }
        if let backup, ContainedPath.relative(backup) == nil { return "\(name): its backup \(backup) would lie outside the model store" }
        return nil
    }

    public init(name: String, file: String, sha256: String, source: String, licence: String, bytes: Int? = nil, note: String? = nil) {
        self.name = name; self.file = file; self.sha256 = sha256; self.source = source; self.licence = licence
        self.bytes = bytes; self.note = note
    }
}

/// Models `facemirror model fetch` can download. OpenFace 3.0's own trained weights are not
/// published as ONNX; these are small trained models with the same input/output contracts.
/// `FACEMIRROR_MODEL_CATALOG` (a JSON list of entries) replaces this list.
public enum ModelCatalog {
    /// What `model import --openface3` records for OpenFace 3.0's own weights converted to ONNX: where
    /// they come from and the terms to check, since this project does not redistribute them.
    public static let openFace3Licence = "OpenFace 3.0 weights (CMU MultiComp Lab, https://github.com/CMU-MultiComp-Lab/OpenFace-3.0; "
        + "Hugging Face nutPace/openface_weights): released for research purposes; read the repository's licence before any other use"
    public static let builtIn: [ModelEntry] = [
        ModelEntry(name: "retinaface-mnet025-widerface", file: "retinaface_mnet025_widerface.onnx",
                   sha256: "13a69f2cb3012162ccce8466b1cd9e445ae1337ae641f31c90419e6179f13650",
                   source: "https://raw.githubusercontent.com/ShiqiYu/libfacedetection.train/589da0cd531986021b80118d2dff0d2b0dbb706a/onnx/retinaface_mbnet0.25.onnx",
                   licence: "MIT", bytes: 1_711_594,
                   note: "RetinaFace mobilenet0.25 trained on WIDER FACE (the network OpenFace 3.0 uses); --detector"),
        ModelEntry(name: "pfld-ghostone-wflw98", file: "pfld_ghostone_wflw98.onnx",
                   sha256: "74d1a83932af79c2689d9371b21f32d014552f089985f076e832e89cb18f41e8",
                   source: "https://raw.githubusercontent.com/AnthonyF333/PFLD_GhostOne/7061b5649ffdb6e7fbb4add2372346264a160343/onnx_models/PFLD_GhostOne_112_1_opt_sim.onnx",
                   licence: "Apache-2.0", bytes: 2_838_549,
                   note: "98-point WFLW landmarks, 112x112 input; --landmarks"),
        ModelEntry(name: "yunet-n", file: "yunet_n_dynamic.onnx",
                   sha256: "104ee26c71d5c270ce79a6b3dced91c91013260d29a6bf18f9296c5b8c4c2b12",
                   source: "https://raw.githubusercontent.com/ShiqiYu/libfacedetection.train/0047ac24afb1a50a0c6105001c89d1b5b805dbf1/onnx/yunet_n_dynamic.onnx",
                   licence: "Apache-2.0", bytes: 322_906,
                   note: "YuNet-n face detector (not used by process yet)"),
    ]

    public static func entries(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> [ModelEntry] {
        guard let path = environment["FACEMIRROR_MODEL_CATALOG"], !path.isEmpty else { return builtIn }
        let entries: [ModelEntry]
        do {
            entries = try JSONDecoder().decode([ModelEntry].self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw StoreError.unreadableCatalogue(path: path, reason: ErrorText.describe(error))
        }
        if let problem = entries.lazy.compactMap(\.problem).first { throw StoreError.unreadableCatalogue(path: path, reason: problem) }
        return entries
    }
}
