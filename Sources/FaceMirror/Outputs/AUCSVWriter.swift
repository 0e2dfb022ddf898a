import FaceMirrorCore
import Foundation

/// `<stem>_{left,right}_mirrored.csv` in OpenFace's 41-column layout: frame, face_id, timestamp,
/// confidence, success, 18 AU intensities `_r`, the same 18 as presence `_c`. AUs the method does not
/// give, and every value of a hemiface that was not measured, are NaN.
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

    /// One row; `intensity` gives an AU's value by name (NaN for one the method does not give).
    public func write(frame: Int, timestamp: Double, confidence: Double, success: Bool, intensity: (String) -> Double) throws {
        let n = CSVFile.number
        var cols = [String(frame), "0", n(timestamp, 6), n(success ? confidence : .nan, 4), success ? "1" : "0"]
        let values = AUCSVWriter.actionUnits.map { success ? intensity($0) : .nan }
        cols += values.map { n($0, 4) }
        cols += values.map { $0.isFinite ? ($0 >= AUCSVWriter.presenceThreshold ? "1" : "0") : "NaN" }
        try file.write(cols)
    }

    /// Every frame of one hemiface of a table.
    public func write(_ table: AUTable, side: Hemiface) throws {
        for (i, f) in table.frames.enumerated() {
            try write(frame: f.index, timestamp: f.time, confidence: f.confidence, success: table.isMeasured(frame: i, side: side)) {
                table.intensity($0, frame: i, side: side)
            }
        }
    }

    public func close() throws { try file.close() }
}

/// `<stem>_{left,right}_mirrored_extra.csv`: the columns a method gives beside its AUs (MTL's emotion
/// probabilities and gaze angles) per frame.
public final class ExtraCSVWriter {
    public static func columns(_ extra: [String]) -> [String] { ["frame", "face_id", "timestamp", "success"] + extra }
    private let file: CSVFile

    public init(path: String, extraColumns: [String]) throws {
        file = try CSVFile(path: path, header: ExtraCSVWriter.columns(extraColumns))
    }

    public func write(_ table: AUTable, side: Hemiface) throws {
        let n = CSVFile.number
        for (i, f) in table.frames.enumerated() {
            let measured = table.isMeasured(frame: i, side: side)
            try file.write([String(f.index), "0", n(f.time, 6), measured ? "1" : "0"]
                           + table.extras(frame: i, side: side).map { measured ? n($0, 5) : "NaN" })
        }
    }

    public func close() throws { try file.close() }
}
