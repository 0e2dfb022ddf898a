import FaceMirrorCore
import FileDigest
import Foundation

/// OpenFace 2.2.0's AU model files as OpenFace publishes them in its repository (paths, SHA-256 and sizes
/// as the PyPI package pyfaceau 1.4.1 pins them): the PDM, the triangulation and the 17 regressors
/// OpenFace 2.2 uses. OpenFace's licence allows academic, non-commercial research use and no
/// redistribution, so they are fetched by each user, never bundled. `FACEMIRROR_OPENFACE2_CATALOG` names a
/// JSON file in the same form (`{"files": [{"path", "url", "sha256", "size"}]}`) that replaces the list.
public enum OpenFace2Catalog {
    public static let name = "openface2-au"
    /// The store's sub-folder that holds them.
    public static let folder = "openface2-au"
    public static let licenceURL = "https://github.com/TadasBaltrusaitis/OpenFace/blob/master/OpenFace-license.txt"
    public static let licence = "OpenFace 2.2 (Carnegie Mellon University and University of Cambridge): academic or non-profit "
        + "non-commercial research use only, not redistributable; cite OpenFace in publications; \(licenceURL)"
    public static let acceptanceVariable = "FACEMIRROR_ACCEPT_OPENFACE_LICENCE"
    static let baseURL = "https://raw.githubusercontent.com/TadasBaltrusaitis/OpenFace/OpenFace_2.2.0/"

    public struct File: Codable, Sendable, Equatable {
        public let path: String
        public let url: String
        public let sha256: String
        public let size: Int

        /// Where the file goes in the store's folder: OpenFace's layout without `lib/local/<module>/`.
        public var storedPath: String {
            for prefix in ["lib/local/LandmarkDetector/", "lib/local/FaceAnalyser/"] where path.hasPrefix(prefix) {
                return String(path.dropFirst(prefix.count))
            }
            return path
        }
    }

    public static let builtIn: [File] = [
        ("lib/local/LandmarkDetector/model/pdms/In-the-wild_aligned_PDM_68.txt", "b9eafb292b18505b55cdbc5d8ba45413709cd300cf3e7e8d1946cd0f5c5b94b1", 69023),
        ("lib/local/FaceAnalyser/AU_predictors/tris_68_full.txt", "d79b0c786bf497ddf18b97080e5949c67781ca1c017e558374883a1821b17181", 1076),
        ("lib/local/FaceAnalyser/AU_predictors/svr_combined/AU_1_dynamic_intensity_comb.dat", "ee09197389d14c15c04239158db550368122d7c57bca16cf47d5a31ab35d78d0", 75276),
        ("lib/local/FaceAnalyser/AU_predictors/svr_combined/AU_2_dynamic_intensity_comb.dat", "d47d0444f225528f70a66d57634a1d6127dab902a3a54104ff7fa6f0c0f2f94b", 75276),
        ("lib/local/FaceAnalyser/AU_predictors/svr_combined/AU_4_static_intensity_comb.dat", "40944f7bdb63506a01347edacb113d7f3073a82d926a782b264a5cbfde2127c6", 75268),
        ("lib/local/FaceAnalyser/AU_predictors/svr_combined/AU_5_dynamic_intensity.dat", "d9aa0162f10b9d066484095f1d45543fae18f384f4fc3e95ccc7b453a30c04d6", 75276),
        ("lib/local/FaceAnalyser/AU_predictors/svr_combined/AU_6_static_intensity_comb.dat", "3b63e59596ece180bd20757cc59916b27d258b77346a0d01fbae000a00b48408", 75268),
        ("lib/local/FaceAnalyser/AU_predictors/svr_combined/AU_7_static_intensity_comb.dat", "a577f1192b954bebec36a88360e15162bb06b76209e574af249ef6f824d9188d", 75268),
        ("lib/local/FaceAnalyser/AU_predictors/svr_combined/AU_9_dynamic_intensity.dat", "fc12e797479e02489f8a809d5d81d025bd2e75a9fd7ba8333211a9ac8355341b", 75276),
        ("lib/local/FaceAnalyser/AU_predictors/svr_combined/AU_10_static_intensity_comb.dat", "f97e1f9dd70810e59e356cdfa5dcceedec184b831f680a01f629467c6930f474", 75268),
        ("lib/local/FaceAnalyser/AU_predictors/svr_combined/AU_12_static_intensity_comb.dat", "fd895c3272abb0a3c612d0e9d002cf2fb86b93c79b477126a1ae10f310e6a928", 75268),
        ("lib/local/FaceAnalyser/AU_predictors/svr_combined/AU_14_static_intensity.dat", "dce666400f38454807ce2bfb0553b3175eb34ab555db0b2bd0658518d6d9e2d2", 75268),
        ("lib/local/FaceAnalyser/AU_predictors/svr_combined/AU_15_dynamic_intensity_comb.dat", "f1dcf770fbd52e102f8e904cb087414b880b7924bb717bb9b791d94a2186bbf1", 75276),
        ("lib/local/FaceAnalyser/AU_predictors/svr_combined/AU_17_dynamic_intensity_comb.dat", "7dc6a65e21e4c3686517af8c68c741f300781cda7b1ea9c972f3cae968e55c50", 75276),
        ("lib/local/FaceAnalyser/AU_predictors/svr_combined/AU_20_dynamic_intensity.dat", "3bcd6639ee770970f4507344b7ed78b73035d108c41bfe8fad82d64b9ea2af4f", 75276),
        ("lib/local/FaceAnalyser/AU_predictors/svr_combined/AU_23_dynamic_intensity_comb.dat", "415d2fb7b3d4b2a384f584b6081a72497fdabaf1d9bbb13f7b147b8a1fada2b7", 75276),
        ("lib/local/FaceAnalyser/AU_predictors/svr_combined/AU_25_dynamic_intensity_comb.dat", "4e1f4b79e309bbb7104a6ff0ad269790f6c23ae50f8901ed4e5f5772e3cd74e7", 75276),
        ("lib/local/FaceAnalyser/AU_predictors/svr_combined/AU_26_dynamic_intensity_comb.dat", "d1bf66b8d31e26ca2fc4d2b9223535563eefdfe88ccbd0d9a2372cd7958d2882", 75276),
        ("lib/local/FaceAnalyser/AU_predictors/svr_combined/AU_45_dynamic_intensity_comb.dat", "2b69232af9fc7cd1014623b53fb36a20a4a3b0f6ee2388583ad4bc383f6e356d", 75276),
    ].map { File(path: $0.0, url: baseURL + $0.0, sha256: $0.1, size: $0.2) }

    public static func files(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> [File] {
        guard let path = environment["FACEMIRROR_OPENFACE2_CATALOG"], !path.isEmpty else { return builtIn }
        struct List: Decodable { let files: [File] }
        do {
            return try JSONDecoder().decode(List.self, from: Data(contentsOf: URL(fileURLWithPath: path))).files
        } catch {
            throw StoreError.unreadableCatalogue(path: path, reason: ErrorText.describe(error))
        }
    }

    /// Whether the user accepted OpenFace's licence through the environment.
    public static func acceptedInEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        ["1", "yes", "true"].contains(environment[acceptanceVariable]?.lowercased() ?? "")
    }
}

extension ModelStore {
    /// The folder of OpenFace 2's AU models in the store (whether or not they are there).
    public var openFace2Directory: URL { directory.appendingPathComponent(OpenFace2Catalog.folder, isDirectory: true) }

    /// Downloads OpenFace 2.2's AU model files into `openFace2Directory`, each checked against its SHA-256
    /// and recorded in the manifest (`openface2-au/<path>`). Files already there with the right hash are kept.
    public func fetchOpenFace2(_ files: [OpenFace2Catalog.File], progress: ((String, Int64, Int64?) -> Void)? = nil) throws -> [ModelEntry] {
        try files.map { file in
            let entry = ModelEntry(name: "\(OpenFace2Catalog.folder)/\(file.storedPath)", file: "\(OpenFace2Catalog.folder)/\(file.storedPath)",
                                   sha256: file.sha256, source: file.url, licence: OpenFace2Catalog.licence, bytes: file.size,
                                   note: "OpenFace 2.2 AU models (--au openface2)")
            return try fetch(entry) { done, total in progress?(file.storedPath, done, total) }
        }
    }

    /// Copies a file into the store at `relative` (folders made as needed) and records it under that name.
    @discardableResult
    public func importFile(_ path: String, at relative: String, licence: String, note: String? = nil) throws -> ModelEntry {
        guard ModelEntry.isPlainName(relative) else { throw StoreError.badName(relative) }
        let final = directory.appendingPathComponent(relative)
        if case .other = PathEntry.at(final.path) { throw StoreError.notReplaceable(path: final.path) }
        let copy = try storedCopy(of: path, into: final, check: nil)
        let entry = ModelEntry(name: relative, file: relative, sha256: copy.sha256, source: URL(fileURLWithPath: path).standardizedFileURL.absoluteString,
                               licence: licence, bytes: copy.bytes, note: note)
        try record(entry)
        return entry
    }
}
