import FaceMirrorCore
import Logging
import MediaBinding

/// `<stem>_right_mirrored.mp4` or `<stem>_left_mirrored.mp4`: one hemiface picture per frame; a frame
/// without a face is written as it is.
final class MirroredVideoSink: FrameSink {
    private let side: Hemiface
    private let writer: VideoWriter
    private let timer: StageTimer
    private let logger: Logger
    private let stage: String

    init(_ side: Hemiface, context: SinkContext) throws {
        self.side = side
        writer = try context.videoWriter(side == .right ? OutputNames.rightMirrored : OutputNames.leftMirrored)
        timer = context.timer
        logger = context.logger
        stage = "encode_\(side.rawValue)"
    }

    func write(_ f: AnalysedFrame) throws {
        let frame = f.frame
        try timer.measure(stage) { try writer.write(f.mirrored?[side] ?? frame.image, pts: frame.pts, duration: frame.duration) }
    }

    func finish(_ video: VideoResults) throws {
        try writer.finish()
        if writer.audioPacketsDropped > 0 {
            logger.info("\(writer.path): \(writer.audioPacketsDropped) audio packets whose time did not rise were left out")
        }
    }
}
