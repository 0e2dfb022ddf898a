import FaceMirrorCore
import Foundation

/// The output names of one input, as the seed system's downstream analysis expects them.
public enum OutputNames {
    public static let rightMirrored = "_right_mirrored.mp4"
    public static let leftMirrored = "_left_mirrored.mp4"
    public static let debug = "_debug.mp4"
    public static let landmarks = "_landmarks.csv"
    public static let asymmetry = "_asymmetry.csv"
    public static let asymmetrySummary = "_asymmetry_summary.json"
    public static let reportText = "_performance.txt"
    public static let reportJSON = "_performance.json"
    public static let rightAUs = "_right_mirrored.csv"
    public static let leftAUs = "_left_mirrored.csv"
    public static let rightExtra = "_right_mirrored_extra.csv"
    public static let leftExtra = "_left_mirrored_extra.csv"
    /// The completion record, written last.
    public static let provenance = "_provenance.json"

    public static func all(debugVideo: Bool, actionUnits: Bool = false) -> [String] {
        [rightMirrored, leftMirrored] + (debugVideo ? [debug] : []) + [landmarks, asymmetry, asymmetrySummary]
            + (actionUnits ? [rightAUs, leftAUs, rightExtra, leftExtra] : []) + [reportText, reportJSON, provenance]
    }

    /// File name without folder and extension.
    public static func stem(of path: String) -> String {
        URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
    }
}
