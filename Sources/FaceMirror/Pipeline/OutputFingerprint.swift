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
        ]
        // Each AU method adds its own settings (MTL names itself under action_units; OpenFace 2 adds
        // openface2_aus and the hemiface landmark source): runs without them keep the fingerprints they had.
        for method in processor.actionUnits { fields.merge(method.settings) { _, new in new } }
        if let session = processor.session {
            fields["provider"] = session.provider.rawValue
            fields["ort_level"] = session.optimization.rawValue
        }
        return fields
    }

    /// The settings' SHA-256, lower-case hex: one value to compare and store.
    public var digest: String { FileDigest.sha256(of: Data(settings.joined(separator: "\n").utf8)) }
}
