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

    public init(frame: Int, faceID: Int, timestamp: Double, confidence: Double, success: Bool,
                landmarks: FaceLandmarks?, yaw: Double) {
        self.frame = frame; self.faceID = faceID; self.timestamp = timestamp; self.confidence = confidence
        self.success = success; self.landmarks = landmarks; self.yaw = yaw
    }
}

/// Streams `<stem>_landmarks.csv`: frame, face_id, timestamp, confidence, success, x_0..x_{N-1},
/// y_0..y_{N-1}, glabella_x, glabella_y, chin_x, chin_y, yaw. Values that do not exist are NaN.
public final class LandmarkCSVWriter {
    private let handle: FileHandle
    private let count: Int
    private var buffer = ""
    public let path: String

    public init(path: String, layout: LandmarkLayout) throws {
        self.path = path
        count = layout.count
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw FaceMirrorError.cannotWrite(path: path, reason: "cannot create the file")
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        buffer = LandmarkCSVWriter.header(count: layout.count) + "\n"
    }

    public static func header(count: Int) -> String {
        var cols = ["frame", "face_id", "timestamp", "confidence", "success"]
        cols += (0..<count).map { "x_\($0)" }
        cols += (0..<count).map { "y_\($0)" }
        cols += ["glabella_x", "glabella_y", "chin_x", "chin_y", "yaw"]
        return cols.joined(separator: ",")
    }

    private static func fmt(_ v: Double, _ digits: Int) -> String {
        v.isFinite ? String(format: "%.\(digits)f", v) : "NaN"
    }

    public func write(_ row: LandmarkRow) throws {
        var cols = [String(row.frame), String(row.faceID), LandmarkCSVWriter.fmt(row.timestamp, 6),
                    LandmarkCSVWriter.fmt(row.confidence, 4), row.success ? "1" : "0"]
        if let lm = row.landmarks {
            cols += (0..<count).map { LandmarkCSVWriter.fmt(Double(lm.xy[2 * $0]), 3) }
            cols += (0..<count).map { LandmarkCSVWriter.fmt(Double(lm.xy[2 * $0 + 1]), 3) }
            let m = lm.midline
            cols += [m.glabella.x, m.glabella.y, m.chin.x, m.chin.y].map { LandmarkCSVWriter.fmt($0, 3) }
        } else {
            cols += [String](repeating: "NaN", count: 2 * count + 4)
        }
        cols.append(LandmarkCSVWriter.fmt(row.yaw, 3))
        buffer += cols.joined(separator: ",") + "\n"
        if buffer.utf8.count > 1 << 16 { try flush() }
    }

    private func flush() throws {
        try handle.write(contentsOf: Data(buffer.utf8))
        buffer = ""
    }

    public func close() throws {
        try flush()
        try handle.synchronize()
        try handle.close()
    }
}
