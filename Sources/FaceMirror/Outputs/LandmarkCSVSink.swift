import FaceMirrorCore
import MediaBinding

/// `<stem>_landmarks.csv`: one row per frame from its analysis.
final class LandmarkCSVSink: FrameSink {
    private let csv: LandmarkCSVWriter
    private let timer: StageTimer

    init(context: SinkContext) throws {
        csv = try LandmarkCSVWriter(path: context.files.temporaryPath(for: OutputNames.landmarks), layout: context.layout)
        timer = context.timer
    }

    func write(_ frame: AnalysedFrame) throws {
        let a = frame.analysis
        let row = LandmarkRow(frame: a.index, faceID: 0, timestamp: a.time, confidence: a.confidence, success: a.hasFace,
                              landmarks: a.landmarks, yaw: a.yaw, quality: a.quality, pose: frame.pose)
        try timer.measure("csv") { try csv.write(row) }
    }

    func finish(_ video: VideoResults) throws { try csv.close() }
}
