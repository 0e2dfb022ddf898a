import FaceMirrorCore
import Foundation

/// One row of `<stem>_landmarks.csv`.
public struct LandmarkRow: Sendable {
    public var frame: Int
    public var faceID: Int
    public var timestamp: Double
    public var confidence: Double
    public var success: Bool
    public var landmarks: FaceLandmarks?
    public var yaw: Double
    public var quality: LandmarkQuality?
    public var pose: HeadPose?

    public init(frame: Int, faceID: Int, timestamp: Double, confidence: Double, success: Bool,
                landmarks: FaceLandmarks?, yaw: Double, quality: LandmarkQuality? = nil, pose: HeadPose? = nil) {
        self.frame = frame; self.faceID = faceID; self.timestamp = timestamp; self.confidence = confidence
        self.success = success; self.landmarks = landmarks; self.yaw = yaw; self.quality = quality; self.pose = pose
    }
}

/// Streams `<stem>_landmarks.csv`: frame, face_id, timestamp, confidence, success, x_0..x_{N-1},
/// y_0..y_{N-1}, glabella_x, glabella_y, chin_x, chin_y, yaw, quality, quality_issue, pose_Tx … pose_Rz
/// (`HeadPose`, millimetres and radians as OpenFace 2.2 writes them). Values that do not exist are NaN
/// (the pose without OpenFace 2's face model or 68 points); `quality_issue` is empty unless the frame's
/// landmarks are poor (`LandmarkQuality`).
public final class LandmarkCSVWriter {
    private let file: CSVFile
    private let count: Int
    public var path: String { file.path }

    public init(path: String, layout: LandmarkLayout) throws {
        count = layout.count
        file = try CSVFile(path: path, header: LandmarkCSVWriter.columns(count: layout.count))
    }

    public static func columns(count: Int) -> [String] {
        ["frame", "face_id", "timestamp", "confidence", "success"] + (0..<count).map { "x_\($0)" } + (0..<count).map { "y_\($0)" }
            + ["glabella_x", "glabella_y", "chin_x", "chin_y", "yaw", "quality", "quality_issue"] + HeadPose.columns
    }

    public func write(_ row: LandmarkRow) throws {
        let n = CSVFile.number
        var cols = [String(row.frame), String(row.faceID), n(row.timestamp, 6), n(row.confidence, 4), row.success ? "1" : "0"]
        if let lm = row.landmarks {
            cols += (0..<count).map { n(Double(lm.xy[2 * $0]), 3) }
            cols += (0..<count).map { n(Double(lm.xy[2 * $0 + 1]), 3) }
            let m = lm.midline
            cols += [m.glabella.x, m.glabella.y, m.chin.x, m.chin.y].map { n($0, 3) }
        } else {
            cols += [String](repeating: "NaN", count: 2 * count + 4)
        }
        cols.append(n(row.yaw, 3))
        cols.append(n(row.quality?.value ?? .nan, 3))
        cols.append(row.quality?.issue?.label ?? "")
        cols += (row.pose?.values ?? [Double](repeating: .nan, count: HeadPose.columns.count)).map { n($0, 4) }
        try file.write(cols)
    }

    public func close() throws { try file.close() }
}
