import FaceMirrorCore
import Foundation

/// The output names of one input (the AU CSVs as OpenFace names its own, which downstream analyses read).
public enum OutputNames {
    public static let rightMirrored = "_right_mirrored.mp4"
    public static let leftMirrored = "_left_mirrored.mp4"
    public static let debug = "_debug.mp4"
    public static let landmarks = "_landmarks.csv"
    public static let asymmetry = "_asymmetry.csv"
    public static let asymmetrySummary = "_asymmetry_summary.json"
    /// Stills for the report: the frame, right–right and left–left side by side (no face in the video: none).
    public static let stillsLargest = "_still_largest.jpg"
    public static let stillsRepresentative = "_still_median.jpg"
    /// The report, written after the other outputs from them (`VideoReport`). Every suffix is at most
    /// 25 characters, as `_right_mirrored_extra.csv`: a stem that fits one fits all.
    public static let report = "_report.html"
    public static let reportText = "_performance.txt"
    public static let reportJSON = "_performance.json"
    public static let rightAUs = "_right_mirrored.csv"
    public static let leftAUs = "_left_mirrored.csv"
    /// The MTL network's AUs when OpenFace 2's run too (those take the 41-column files).
    public static let rightMTL = "_right_mirrored_mtl.csv"
    public static let leftMTL = "_left_mirrored_mtl.csv"
    public static let rightExtra = "_right_mirrored_extra.csv"
    public static let leftExtra = "_left_mirrored_extra.csv"
    /// The exam (docs/method.md, "The exam"): the timeline used, one row per movement × zone × measure
    /// or AU, the same as JSON, and each hemiface's AUs with the frame's movement code in the layout
    /// the upstream analysis reads.
    public static let timeline = "_timeline.csv"
    public static let exam = "_exam.csv"
    public static let examJSON = "_exam.json"
    /// One row per movement: the face at rest and at the peak, right–right and left–left (none without movements).
    public static let examStills = "_exam_stills.jpg"
    public static let rightCoded = TimelineInput.upstreamSuffixes[1]
    public static let leftCoded = TimelineInput.upstreamSuffixes[0]
    /// The completion record, written last.
    public static let provenance = "_provenance.json"

    /// A hemiface's AU CSV of `method`: `_<side>_mirrored.csv` for the run's first method, else
    /// `_<side>_mirrored_<method>.csv`.
    public static func actionUnits(_ side: Hemiface, method: AUMethod, first: Bool) -> String {
        "_\(side.rawValue)_mirrored" + (first ? "" : "_\(method.rawValue)") + ".csv"
    }

    /// A hemiface's columns beside the AUs (MTL's emotion and gaze).
    public static func extra(_ side: Hemiface) -> String { side == .right ? rightExtra : leftExtra }

    /// Every output of one input whose AUs are measured by `actionUnits` (in the run's order, see
    /// `AUMethod.ordered`); `extraColumns`: whether one of them gives columns beside its AUs.
    public static func all(debugVideo: Bool, actionUnits: [AUMethod] = [], extraColumns: Bool = false) -> [String] {
        let aus = actionUnits.enumerated().flatMap { k, method in Hemiface.allCases.map { Self.actionUnits($0, method: method, first: k == 0) } }
            + (extraColumns ? [rightExtra, leftExtra] : [])
        return [rightMirrored, leftMirrored] + (debugVideo ? [debug] : []) + [landmarks, asymmetry, asymmetrySummary, stillsLargest, stillsRepresentative]
            + aus + examFiles(actionUnits: !actionUnits.isEmpty) + [reportText, reportJSON, provenance]
    }

    /// The exam's outputs (the coded AU CSVs only when AUs are measured).
    public static func examFiles(actionUnits: Bool) -> [String] {
        [timeline, exam, examJSON, examStills] + (actionUnits ? [rightCoded, leftCoded] : [])
    }

    /// File name without folder and extension.
    public static func stem(of path: String) -> String {
        URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
    }
}
