import FaceMirrorCore
import Logging
import MediaBinding

/// An output of the per-video pipeline. The processor hands every sink each frame in order (the picture,
/// what the face follower found, the two mirrored pictures and the landmark measures), then, after the
/// last frame, what the whole video gave (`VideoResults`: the AU tables, the asymmetry summary). A sink
/// only writes: it runs no model and reads nothing from another sink, so their order does not matter.
/// A new output is a new sink; the frame loop does not change.
public protocol FrameSink: AnyObject {
    func write(_ frame: AnalysedFrame) throws
    /// Completes the sink's files after the last frame.
    func finish(_ video: VideoResults) throws
}

/// What the analysis of a whole video gives the outputs when it ends.
public struct VideoResults: Sendable {
    /// One table per AU method the run measures, the run's first method first.
    public let actionUnits: [AUTable]
    /// Every frame's landmark measures, in order.
    public let measures: MeasureTrack
    /// The asymmetry measures over the video (with the first AU method's).
    public let asymmetry: AsymmetrySummary
    /// The exam, when its timeline could be read (`ExamAnalysis`).
    public let exam: ExamResult?
}

/// What a sink may need to know about the video it writes for, handed to it when it is made.
public struct SinkContext {
    public let video: VideoInfo
    /// How the videos are encoded.
    public let encoder: EncoderSettings
    /// Threads for decoding and encoding (0 = the libraries decide), as the run was asked for.
    public let threads: Int
    /// The video's outputs: a sink writes each of its files to `files.temporaryPath(for:)`, so that
    /// it appears under its final name only when every output of the video is complete.
    public let files: OutputFiles
    public let layout: LandmarkLayout
    public let timer: StageTimer
    /// Where a sink counts the frames it could not write as asked (with the reason).
    public let tally: FrameTally
    public let logger: Logger
    /// The input's audio, read once by the processor's reader, for the videos that copy it.
    let audio: DemuxedAudio?

    /// An H.264 writer for `<stem><suffix>` with the input's size (at most `maxSide` pixels on its longer
    /// side when given), time base and audio.
    func videoWriter(_ suffix: String, maxSide: Int? = nil) throws -> VideoWriter {
        let fps = video.averageFrameRate.num > 0 ? video.averageFrameRate : nil
        let w = try VideoWriter(path: files.temporaryPath(for: suffix), width: video.width, height: video.height,
                                timeBase: video.timeBase, frameRate: fps, audio: audio, settings: encoder,
                                sampleAspectRatio: video.sampleAspectRatio, maxEncodedSide: maxSide)
        if let reason = w.audioSkippedReason { logger.warning("\(video.path): \(reason); \(suffix) has no audio") }
        if let note = w.audioNote { logger.info("\(video.path): \(suffix): \(note)") }
        return w
    }
}

/// Makes a sink for one video; `VideoProcessor.process` takes extra sinks in this form.
public typealias FrameSinkFactory = (SinkContext) throws -> FrameSink
