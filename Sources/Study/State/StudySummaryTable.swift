import FaceMirror
import FaceMirrorCore
import Foundation

/// `study_summary.csv`: one row per video of a study, the table a researcher filters before analysis.
/// Numbers a video does not have (it failed, or had no face) are NaN.
public enum StudySummaryTable {
    public static let fileName = "study_summary.csv"

    public static let columns = [
        "path", "status", "reason", "frames", "duration_s", "fps", "face_percent", "detector_runs", "median_abs_yaw_deg",
        "yaw_within_5deg_percent", "poor_landmarks_percent", "poor_landmarks", "processing_fps", "brow_index", "eye_index", "midface_index", "mouth_index", "overall_index",
        "fingerprint", "attempts", "finished",
    ]

    public static func csv(_ records: [VideoRecord]) -> String {
        var lines = [columns.joined(separator: ",")]
        for r in records {
            let face = r.frames.flatMap { f in r.framesWithFace.map { f > 0 ? 100 * Double($0) / Double(f) : .nan } }
            let frontal = r.framesWithFace.flatMap { f in r.framesYawWithin5.map { f > 0 ? 100 * Double($0) / Double(f) : .nan } }
            let poor = r.framesWithFace.flatMap { f in r.framesPoorLandmarks.map { f > 0 ? 100 * Double($0) / Double(f) : .nan } }
            let fields: [String] = [
                field(r.path), r.status.rawValue, field(r.reason ?? ""), int(r.frames), number(r.durationSeconds, 3),
                number(r.frameRate, 3), number(face, 2), int(r.detectorRuns), number(r.medianAbsYaw, 2), number(frontal, 2),
                number(poor, 2), field(r.poorLandmarks ?? ""), number(r.processingFps, 2), number(r.browIndex, 4), number(r.eyeIndex, 4), number(r.midfaceIndex, 4),
                number(r.mouthIndex, 4), number(r.overallIndex, 4), r.fingerprint ?? "", "\(r.attempts)", r.finished ?? "",
            ]
            lines.append(fields.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes the table into `file` whole (a temporary renamed over it). An existing file is replaced only
    /// when it is a summary facemirror wrote, or with `overwrite` (`ReplaceableFile`).
    public static func write(_ records: [VideoRecord], to file: URL, overwrite: Bool = false) throws {
        try ReplaceableFile.check(file, overwrite: overwrite) { $0.starts(with: Data("path,status,reason,frames,".utf8)) }
        let temp = file.deletingLastPathComponent().appendingPathComponent(TemporaryName.next(suffix: ".csv"))
        do {
            try Data(csv(records).utf8).write(to: temp)
            guard rename(temp.path, file.path) == 0 else { throw NSError(domain: NSPOSIXErrorDomain, code: Int(errno)) }
        } catch {
            unlink(temp.path)
            throw StudyStateError(file: file.path, reason: "cannot write the summary (\(ErrorText.describe(error)))")
        }
    }

    private static func int(_ v: Int?) -> String { v.map(String.init) ?? "NaN" }

    private static func number(_ v: Double?, _ digits: Int) -> String {
        guard let v, v.isFinite else { return "NaN" }
        return String(format: "%.\(digits)f", v)
    }

    private static func field(_ s: String) -> String { CSVField.text(s) }
}
