import FileDigest
import Foundation

/// What decides the numbers and files a video's outputs hold: the options that change them and the
/// exact model files (by SHA-256). Two runs with the same fingerprint on the same input write the same
/// CSVs; a study redoes a video whose fingerprint changed rather than mix outputs of two settings.
/// Left out, because they change no number: threads, jobs, --overwrite, the output folder.
public struct OutputFingerprint: Sendable, Equatable {
    /// Each setting as `name=value`, sorted.
    public let settings: [String]

    /// Settings as `name=value` lines (sorted here).
    public init(settings: [String]) { self.settings = settings.sorted() }

    public init(processor: VideoProcessor, options: ProcessOptions) throws {
        var fields = OutputFingerprint.outputSettings(processor: processor, options: options)
        for model in processor.models {
            fields["model.\(model.role)"] = try model.path.map { try DigestCache.shared.sha256($0).sha256 } ?? model.name
        }
        self.init(settings: fields.map { "\($0.key)=\($0.value)" })
    }

    /// The options that change a number or a file, by name (the provenance record adds the others).
    static func outputSettings(processor: VideoProcessor, options: ProcessOptions) -> [String: String] {
        var fields: [String: String] = [
            "debug_video": "\(options.debugVideo)", "preset": options.encoder.preset.rawValue, "crf": "\(options.encoder.crf)",
            "seam_px": "\(options.seamWidth)", "mm_per_px": options.mmPerPixel.map { "\($0)" } ?? "none", "raw": "\(options.following.raw)",
            "smoothing": options.following.effectiveSmoothing.rawValue, "allow_truncated": "\(options.allowTruncated)",
            "detector": processor.detector.name, "landmarks": processor.landmarker.name,
            "action_units": "none",
            // The landmark quality's checks (`LandmarkQuality`) decide which frames a summary leaves out.
            "landmark_quality": LandmarkQuality.version,
            // The exam's analysis (its outputs and numbers).
            "exam": ExamAnalysis.version,
        ]
        // Each AU method adds its own settings (MTL names itself under action_units; OpenFace 2 adds
        // openface2_aus and the hemiface landmark source): runs without them keep the fingerprints they had.
        for method in processor.actionUnits { fields.merge(method.settings) { _, new in new } }
        // Only when it changes a number: runs with OpenFace 2.2's baseline keep their fingerprints.
        if options.auBaseline != .video && processor.actionUnits.contains(where: { $0.method == .openface2 }) {
            fields["au_baseline"] = options.auBaseline.rawValue
        }
        if let session = processor.session {
            fields["provider"] = session.provider.rawValue
            fields["ort_level"] = session.optimization.rawValue
        }
        return fields
    }

    /// The settings' SHA-256, lower-case hex: one value to compare and store.
    public var digest: String { FileDigest.sha256(of: Data(settings.joined(separator: "\n").utf8)) }
}

extension OutputFingerprint {
    /// `name=value` lines by name.
    private static func values(_ lines: [String]) -> [String: String] {
        Dictionary(lines.compactMap { line in
            line.firstIndex(of: "=").map { (String(line[..<$0]), String(line[line.index(after: $0)...])) }
        }, uniquingKeysWith: { a, _ in a })
    }

    /// Why a video done with `old` settings is redone with these, in words: action units measured for
    /// the first time, or the settings and models that differ (at most three named).
    public func change(from old: [String]) -> String {
        let before = OutputFingerprint.values(old), now = OutputFingerprint.values(settings)
        func auMethods(_ v: [String: String]) -> [String] {
            (v["openface2_aus"] == "on" ? ["OpenFace 2's"] : []) + (v["action_units", default: "none"] != "none" ? ["MTL's"] : [])
        }
        if !old.isEmpty, auMethods(before).isEmpty, !auMethods(now).isEmpty {
            return "action units are measured for the first time in this study (\(auMethods(now).joined(separator: " and ")))"
        }
        let names = Set(before.keys).union(now.keys).filter { before[$0] != now[$0] }.sorted()
        if !old.isEmpty, names == ["landmark_quality"], before["landmark_quality"] == nil {
            return "this version judges the landmarks' quality (frames with poor landmarks are flagged and left out of the summary)"
        }
        if !old.isEmpty, names.allSatisfy({ ["exam", "landmark_quality"].contains($0) && before[$0] == nil }), before["exam"] == nil, now["exam"] != nil {
            return "this version analyses the exam (the movements, their symmetry per zone; <stem>_exam.csv)"
        }
        guard !old.isEmpty, !names.isEmpty else { return "the settings or models changed" }
        return "the settings or models changed (" + differences(from: old) + ")"
    }

    /// The settings and models that differ from `old`, at most three named ("debug_video true → false,
    /// the landmarks model file").
    public func differences(from old: [String]) -> String {
        let before = OutputFingerprint.values(old), now = OutputFingerprint.values(settings)
        let names = Set(before.keys).union(now.keys).filter { before[$0] != now[$0] }.sorted()
        guard !old.isEmpty, !names.isEmpty else { return "settings not recorded" }
        let described = names.prefix(3).map { name -> String in
            if name.hasPrefix("model.") { return "the \(name.dropFirst(6)) model file" }
            return "\(name) \(before[name] ?? "unset") → \(now[name] ?? "unset")"
        }
        return described.joined(separator: ", ") + (names.count > 3 ? ", …" : "")
    }
}
