import Foundation

/// OpenFace 2.2's AU intensity models, read from a folder laid out as OpenFace's (searched by file name):
/// `AU_all_best.txt` (which regressor each AU uses, paths relative to it), its `svr_combined/*.dat`,
/// `In-the-wild_aligned_PDM_68.txt` and `tris_68_full.txt`.
public struct OpenFace2Models: Sendable {
    /// The 17 intensities OpenFace 2 gives, in its output order.
    public static let actionUnits = ["AU01", "AU02", "AU04", "AU05", "AU06", "AU07", "AU09", "AU10", "AU12", "AU14",
                                     "AU15", "AU17", "AU20", "AU23", "AU25", "AU26", "AU45"]
    public static let fileNames = ["AU_all_best.txt", "In-the-wild_aligned_PDM_68.txt", "tris_68_full.txt"]

    public let directory: String
    public let pdm: PointDistributionModel
    public let alignment: AUFaceAlignment
    /// One regressor per AU of `actionUnits`, in that order.
    public let regressors: [LinearSVR]
    /// Every file read, for the provenance.
    public let files: [String]

    public init(directory: String) throws {
        let found = try Self.locate(in: directory)
        let best = found["AU_all_best.txt"]!, pdmPath = found["In-the-wild_aligned_PDM_68.txt"]!, tris = found["tris_68_full.txt"]!
        let pdm = try PointDistributionModel(path: pdmPath)
        self.pdm = pdm
        alignment = try AUFaceAlignment(pdm: pdm, triangulationPath: tris)
        // AU_all_best.txt: "svr_combined/AU_1_dynamic_intensity_comb.dat AU01" (also svm_ lines: classifiers, unused).
        let root = (best as NSString).deletingLastPathComponent
        var chosen: [String: String] = [:]
        for line in try OpenFaceTextMatrix.lines(of: best) {
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard parts.count == 2, parts[0].hasPrefix("svr_") else { continue }
            for au in parts[1].split(separator: ",") { chosen[String(au)] = (root as NSString).appendingPathComponent(String(parts[0])) }
        }
        let missing = Self.actionUnits.filter { chosen[$0] == nil }
        guard missing.isEmpty else {
            throw ModelError.invalid(path: best, reason: "names no intensity regressor (svr_…) for \(missing.joined(separator: ", "))")
        }
        regressors = try Self.actionUnits.map { try LinearSVR(au: $0, path: chosen[$0]!) }
        let featureCount = regressors[0].means.count
        if let odd = regressors.first(where: { $0.means.count != featureCount }) {
            throw ModelError.invalid(path: odd.file, reason: "\(odd.means.count) features; the others take \(featureCount)")
        }
        guard featureCount == AUFeatures.hogCount + AUFeatures.geometryCount else {
            throw ModelError.invalid(path: regressors[0].file, reason: "\(featureCount) features; expected \(AUFeatures.hogCount) FHOG + \(AUFeatures.geometryCount) geometry")
        }
        self.directory = directory
        files = [best, pdmPath, tris] + regressors.map(\.file)
    }

    /// The three index files under `directory`, each found once (a folder copied from OpenFace works as it is).
    static func locate(in directory: String) throws -> [String: String] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue else {
            throw ModelError.notFound(path: directory, hint: "a folder of OpenFace 2 models: facemirror model fetch openface2-au --accept-licence")
        }
        var found: [String: String] = [:]
        let wanted = Set(fileNames)
        if let walker = FileManager.default.enumerator(atPath: directory) {
            for case let relative as String in walker {
                let name = (relative as NSString).lastPathComponent
                if wanted.contains(name), found[name] == nil { found[name] = (directory as NSString).appendingPathComponent(relative) }
            }
        }
        let missing = fileNames.filter { found[$0] == nil }
        guard missing.isEmpty else {
            throw ModelError.notFound(path: directory, hint: "no \(missing.joined(separator: ", ")) in it; not an OpenFace 2 model folder")
        }
        return found
    }
}
