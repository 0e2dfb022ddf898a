import FaceModels
import FaceMirrorCore
import Foundation

/// Per-frame results for one mirrored hemiface.
public struct HemifaceRow: Sendable {
    public var frame: Int
    public var faceID = 0
    public var timestamp: Double
    public var confidence: Double = .nan
    public var success = false
    /// AU intensities 0–5 by name ("AU01", …); AUs not present are NaN.
    public var intensities: [String: Double] = [:]
    public var analysis: FaceAnalysis?

    public init(frame: Int, timestamp: Double) {
        self.frame = frame
        self.timestamp = timestamp
    }
}

/// `<stem>_{left,right}_mirrored.csv` in the seed system's 41-column layout: frame, face_id,
/// timestamp, confidence, success, 18 AU intensities `_r`, the same 18 as presence `_c`.
/// AUs the model does not produce, and every value of a failed frame, are NaN.
public final class AUCSVWriter {
    public static let actionUnits = ["AU01", "AU02", "AU04", "AU05", "AU06", "AU07", "AU09", "AU10", "AU12", "AU14",
                                     "AU15", "AU16", "AU17", "AU20", "AU23", "AU25", "AU26", "AU45"]
    /// `_c` is 1 when the intensity reaches this value.
    public static let presenceThreshold = 1.0
    public static let columns = ["frame", "face_id", "timestamp", "confidence", "success"]
        + actionUnits.map { $0 + "_r" } + actionUnits.map { $0 + "_c" }

    private let file: CSVFile

    public init(path: String) throws {
        file = try CSVFile(path: path, header: AUCSVWriter.columns)
    }

    public func write(_ row: HemifaceRow) throws {
        let n = CSVFile.number
        var cols = [String(row.frame), String(row.faceID), n(row.timestamp, 6), n(row.confidence, 4), row.success ? "1" : "0"]
        let values = AUCSVWriter.actionUnits.map { row.success ? (row.intensities[$0] ?? .nan) : .nan }
        cols += values.map { n($0, 4) }
        cols += values.map { $0.isFinite ? ($0 >= AUCSVWriter.presenceThreshold ? "1" : "0") : "NaN" }
        try file.write(cols)
    }

    public func close() throws { try file.close() }
}

/// `<stem>_{left,right}_mirrored_extra.csv`: emotion probabilities and gaze angles per frame.
public final class ExtraCSVWriter {
    public static let columns = ["frame", "face_id", "timestamp", "success"]
        + MTLSpec.emotions.map { "emotion_" + $0.lowercased() } + ["gaze_yaw", "gaze_pitch"]
    private let file: CSVFile

    public init(path: String) throws {
        file = try CSVFile(path: path, header: ExtraCSVWriter.columns)
    }

    public func write(_ row: HemifaceRow) throws {
        let n = CSVFile.number
        var cols = [String(row.frame), String(row.faceID), n(row.timestamp, 6), row.success ? "1" : "0"]
        if row.success, let a = row.analysis {
            cols += a.emotionProbabilities.map { n($0, 5) } + [n(a.gaze.yaw, 5), n(a.gaze.pitch, 5)]
        } else {
            cols += [String](repeating: "NaN", count: MTLSpec.emotions.count + 2)
        }
        try file.write(cols)
    }

    public func close() throws { try file.close() }
}
