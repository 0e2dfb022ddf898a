import FaceMirrorCore
import Logging
import MediaBinding

/// `<stem>_debug.mp4`: each frame with what the pipeline saw drawn on it, at most 1920 pixels on its longer
/// side (a viewing aid: a 4K copy would cost another 4K encoder's memory for nothing to measure).
final class DebugVideoSink: FrameSink {
    static let maxSide = 1920

    private let writer: VideoWriter
    private let renderer = DebugRenderer()
    private let timer: StageTimer
    private let logger: Logger

    init(context: SinkContext) throws {
        writer = try context.videoWriter(OutputNames.debug, maxSide: DebugVideoSink.maxSide)
        timer = context.timer
        logger = context.logger
    }

    func write(_ f: AnalysedFrame) throws {
        let frame = f.frame, analysis = f.analysis
        let picture = try timer.measure("draw") {
            try renderer.render(frame.image, box: analysis.box, landmarks: analysis.landmarks, yaw: analysis.yaw,
                                detected: analysis.status == .detected, landmarkQuality: analysis.quality)
        }
        try timer.measure("encode_debug") { try writer.write(picture, pts: frame.pts, duration: frame.duration) }
    }

    func finish(_ video: VideoResults) throws {
        try writer.finish()
        if writer.audioPacketsDropped > 0 {
            logger.info("\(writer.path): \(writer.audioPacketsDropped) audio packets whose time did not rise were left out")
        }
    }
}
