import FaceMirrorCore
import FileDigest
import Foundation

/// Where a video's exam timeline will come from, settled before the video is decoded (a bad coding
/// file is said at once): in this order `--actions FILE`; `<stem>_actions.csv` beside the video's
/// outputs (where a correction is saved) or beside the video; an upstream action-coded CSV beside the
/// video that facemirror did not write; else found automatically from the measures.
public enum TimelineInput: Sendable {
    case coding(ActionCoding, sha256: String)
    case upstream(UpstreamCoding, sha256: String)
    case automatic

    /// The name of a person's coding of `<stem>`.
    public static func codingName(stem: String) -> String { stem + "_actions.csv" }
    /// The upstream coded CSVs' suffixes, in the order they are looked for (facemirror writes its own
    /// under the same names).
    public static let upstreamSuffixes = ["_left_mirrored_coded.csv", "_right_mirrored_coded.csv"]

    /// Finds and reads the timeline's file for `input`. `isOwnOutput`: whether a file (absolute,
    /// standardised path) is facemirror's own output, never read back as a coding. A coding file that
    /// cannot be used throws `ActionCodingError`.
    public static func locate(input: String, outputDirectory: URL, actionsFile: String?,
                              isOwnOutput: (String) -> Bool = { _ in false }) throws -> TimelineInput {
        let stem = URL(fileURLWithPath: input).deletingPathExtension().lastPathComponent
        let videoFolder = URL(fileURLWithPath: input).deletingLastPathComponent()
        let codings = actionsFile.map { [$0] } ?? [outputDirectory, videoFolder].map { $0.appendingPathComponent(codingName(stem: stem)).path }
        for (k, path) in codings.enumerated() {
            // Given by name, it must be there; found by name, only if it is.
            if actionsFile == nil || k > 0, case .nothing = PathEntry.at(path) { continue }
            let coding = try ActionCoding(path: path)
            return .coding(coding, sha256: try digest(path))
        }
        for suffix in upstreamSuffixes {
            let path = videoFolder.appendingPathComponent(stem + suffix).standardizedFileURL.path
            guard case .regularFile = PathEntry.at(path), !isOwnOutput(path) else { continue }
            return .upstream(try UpstreamCoding(path: path), sha256: try digest(path))
        }
        return .automatic
    }

    /// In words, for the log.
    public var description: String {
        switch self {
        case .coding(let c, _): return "the coding \(c.path)"
        case .upstream(let u, _): return "the upstream coded CSV \(u.path)"
        case .automatic: return "found automatically"
        }
    }

    private static func digest(_ path: String) throws -> String {
        do { return try FileDigest.sha256(ofFile: path) } catch {
            throw ActionCodingError(path: path, line: nil, problem: "cannot read it (\(ErrorText.describe(error)))")
        }
    }


    /// The source as a study records it: `auto`, `coding file <sha256>` or `upstream csv <sha256>` (a
    /// changed file changes it), or `unusable …` for a coding that cannot be used.
    public var sourceKey: String {
        switch self {
        case .coding(_, let sha): return "\(TimelineSource.codingFile.rawValue) \(sha)"
        case .upstream(_, let sha): return "\(TimelineSource.upstreamCSV.rawValue) \(sha)"
        case .automatic: return TimelineSource.auto.rawValue
        }
    }

    /// The key of a coding that cannot be used: never equal to what a study recorded, so each run says again why.
    public static let unusableKey = "unusable"

    /// Where the timeline of `input` comes from now, as a study records it (`sourceKey`).
    public static func sourceKey(input: String, outputDirectory: URL, actionsFile: String?, isOwnOutput: (String) -> Bool) -> String {
        do {
            return try locate(input: input, outputDirectory: outputDirectory, actionsFile: actionsFile, isOwnOutput: isOwnOutput).sourceKey
        } catch {
            return "\(unusableKey) \(error)"
        }
    }

    /// Why a video's exam is made again, in words.
    public static func change(from old: String?, to new: String) -> String {
        func words(_ key: String?) -> String {
            guard let key else { return "not recorded" }
            if key.hasPrefix(unusableKey) { return "a coding that could not be used" }
            if key == TimelineSource.auto.rawValue { return "found automatically" }
            return key.hasPrefix(TimelineSource.codingFile.rawValue) ? "a person's coding" : "an upstream coded CSV"
        }
        if let old, words(old) == words(new), !new.hasPrefix(unusableKey) {
            return "only the exam: \(words(new).replacingOccurrences(of: "^an? ", with: "the ", options: .regularExpression)) changed"
        }
        return "only the exam: its timeline was \(words(old)), now \(words(new))"
    }
}
