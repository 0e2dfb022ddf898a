import Foundation

/// OpenFace 2.2's AU intensity models, read from a folder laid out as OpenFace's (files found by name
/// anywhere below it): `In-the-wild_aligned_PDM_68.txt`, `tris_68_full.txt`, the regressors of
/// `svr_combined/`, and optionally `AU_all_best.txt` naming which regressor each AU uses (paths relative
/// to it, as OpenFace reads it); without it, OpenFace 2.2's own choice (`defaultRegressors`).
public struct OpenFace2Models: Sendable {
    /// The 17 intensities OpenFace 2 gives, in its output order.
    public static let actionUnits = ["AU01", "AU02", "AU04", "AU05", "AU06", "AU07", "AU09", "AU10", "AU12", "AU14",
                                     "AU15", "AU17", "AU20", "AU23", "AU25", "AU26", "AU45"]
    public static let pdmFile = "In-the-wild_aligned_PDM_68.txt"
    public static let triangulationFile = "tris_68_full.txt"
    public static let selectionFile = "AU_all_best.txt"
    /// The regressor OpenFace 2.2's AU_all_best.txt names for each AU (static or dynamic, with or
    /// without the combined training sets).
    public static let defaultRegressors: [String: String] = [
        "AU01": "AU_1_dynamic_intensity_comb.dat", "AU02": "AU_2_dynamic_intensity_comb.dat", "AU04": "AU_4_static_intensity_comb.dat",
        "AU05": "AU_5_dynamic_intensity.dat", "AU06": "AU_6_static_intensity_comb.dat", "AU07": "AU_7_static_intensity_comb.dat",
        "AU09": "AU_9_dynamic_intensity.dat", "AU10": "AU_10_static_intensity_comb.dat", "AU12": "AU_12_static_intensity_comb.dat",
        "AU14": "AU_14_static_intensity.dat", "AU15": "AU_15_dynamic_intensity_comb.dat", "AU17": "AU_17_dynamic_intensity_comb.dat",
        "AU20": "AU_20_dynamic_intensity.dat", "AU23": "AU_23_dynamic_intensity_comb.dat", "AU25": "AU_25_dynamic_intensity_comb.dat",
        "AU26": "AU_26_dynamic_intensity_comb.dat", "AU45": "AU_45_dynamic_intensity_comb.dat",
    ]

    public let directory: String
    public let pdm: PointDistributionModel
    public let alignment: AUFaceAlignment
    /// One regressor per AU of `actionUnits`, in that order.
    public let regressors: [LinearSVR]
    /// Every file read, for the provenance.
    public let files: [String]

    public init(directory: String) throws {
        let found = try Self.locate(in: directory)
        let pdmPath = found[Self.pdmFile]!, tris = found[Self.triangulationFile]!
        let pdm = try PointDistributionModel(path: pdmPath)
        self.pdm = pdm
        alignment = try AUFaceAlignment(pdm: pdm, triangulationPath: tris)
        var chosen: [String: String] = [:]
        var selection: [String] = []
        if let best = found[Self.selectionFile] {
            // "svr_combined/AU_1_dynamic_intensity_comb.dat AU01" (svm_ lines are classifiers, not used).
            selection = [best]
            let root = (best as NSString).deletingLastPathComponent
            for line in try OpenFaceTextMatrix.lines(of: best) {
                let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
                guard parts.count == 2, parts[0].hasPrefix("svr_") else { continue }
                for au in parts[1].split(separator: ",") { chosen[String(au)] = (root as NSString).appendingPathComponent(String(parts[0])) }
            }
            let missing = Self.actionUnits.filter { chosen[$0] == nil }
            guard missing.isEmpty else {
                throw ModelError.invalid(path: best, reason: "names no intensity regressor (svr_…) for \(missing.joined(separator: ", "))")
            }
        } else {
            let folder = found["svr_combined"]!
            for (au, file) in Self.defaultRegressors { chosen[au] = (folder as NSString).appendingPathComponent(file) }
        }
        regressors = try Self.actionUnits.map { try LinearSVR(au: $0, path: chosen[$0]!) }
        let featureCount = regressors[0].means.count
        guard featureCount == AUFeatures.hogCount + AUFeatures.geometryCount else {
            throw ModelError.invalid(path: regressors[0].file, reason: "\(featureCount) features; expected \(AUFeatures.hogCount) FHOG + \(AUFeatures.geometryCount) geometry")
        }
        if let odd = regressors.first(where: { $0.means.count != featureCount }) {
            throw ModelError.invalid(path: odd.file, reason: "\(odd.means.count) features; the others take \(featureCount)")
        }
        self.directory = directory
        files = selection + [pdmPath, tris] + regressors.map(\.file)
    }

    /// The PDM, the triangulation, the selection file (if any) and the `svr_combined` folder under
    /// `directory`, each the first found (a folder copied from OpenFace works as it is).
    static func locate(in directory: String) throws -> [String: String] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue else {
            throw ModelError.notFound(path: directory, hint: "a folder of OpenFace 2 models: facemirror model fetch openface2-au --accept-licence")
        }
        var found: [String: String] = [:]
        let wanted: Set<String> = [pdmFile, triangulationFile, selectionFile, "svr_combined"]
        if let walker = FileManager.default.enumerator(atPath: directory) {
            for case let relative as String in walker.allObjects.compactMap({ $0 as? String }).sorted() {
                let name = (relative as NSString).lastPathComponent
                if wanted.contains(name), found[name] == nil { found[name] = (directory as NSString).appendingPathComponent(relative) }
            }
        }
        var missing = [pdmFile, triangulationFile].filter { found[$0] == nil }
        if found[selectionFile] == nil && found["svr_combined"] == nil { missing.append("svr_combined/") }
        guard missing.isEmpty else {
            throw ModelError.notFound(path: directory, hint: "no \(missing.joined(separator: ", ")) in it; not an OpenFace 2 model folder")
        }
        return found
    }
}
