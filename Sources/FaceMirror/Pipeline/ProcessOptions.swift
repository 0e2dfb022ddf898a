import FaceMirrorCore
import Foundation
import MediaBinding

/// Settings of one `process` run: each setting has this one holder.
public struct ProcessOptions: Sendable {
    public var outputDirectory: URL
    public var debugVideo = true
    public var overwrite = false
    /// Threads for decoding and encoding (0 = the libraries decide).
    public var threads = 0
    public var encoder = EncoderSettings()
    /// Keep what decoded of a file that ends before what its container announces (with a warning)
    /// instead of failing it.
    public var allowTruncated = false
    /// Width in pixels of the cross-faded band along the midline in the mirrored videos (0 = hard cut).
    public var seamWidth = 6.0
    /// Millimetres per pixel, when the user knows the scale: the asymmetry outputs add millimetres.
    public var mmPerPixel: Double?
    /// How the face is followed: tracking and smoothing, or `raw` per-frame results.
    public var following = FaceFollower.Settings()
    /// How the stages share the time: overlapped in three threads (default) or one after another.
    public var pipeline = PipelineMode.overlapped
    /// A person's coding of the exam (`--actions FILE`); nil: `<stem>_actions.csv` where there is one,
    /// else an upstream coded CSV, else found automatically (`TimelineInput`).
    public var actionsFile: String?
    /// Where OpenFace 2's dynamic AUs take the person's neutral face from (`AUBaseline`).
    public var auBaseline = AUBaseline.video
    /// Files this study wrote itself (absolute, standardised): never read back as a coding.
    public var ownOutputs: Set<String> = []
    /// The command as typed, for the provenance record.
    public var commandLine = CommandLine.arguments

    public init(outputDirectory: URL) { self.outputDirectory = outputDirectory }

    /// The ranges of the settings; each message names the option as `process` spells it.
    public func validate() throws {
        func refuse(_ m: String) -> RunPlanError { .invalidOptions(m) }
        if let m = WorkLimits.check("--threads", threads, in: 0...WorkLimits.maxThreads, why: WorkLimits.threadsReason) { throw refuse(m) }
        guard (0...51).contains(encoder.crf) else { throw refuse("--crf must be between 0 and 51") }
        guard seamWidth >= 0, seamWidth <= 100 else { throw refuse("--seam must be between 0 and 100") }
        if let mmPerPixel, !(mmPerPixel > 0 && mmPerPixel.isFinite) { throw refuse("--mm-per-px must be a positive number") }
    }

    /// Detect on every frame, no tracking, no smoothing (see `FaceFollower.Settings.raw`).
    public var raw: Bool {
        get { following.raw }
        set { following.raw = newValue }
    }
}

/// Where OpenFace 2's dynamic AU models take the person's neutral face from.
public enum AUBaseline: String, CaseIterable, Sendable {
    /// OpenFace 2.2's own: the running median of the video's faces, and the value at a share of all
    /// frames as zero (right when the most frequent face is neutral).
    case video
    /// The exam's rest (BL) frames: their median prediction is zero (a short exam is mostly movement).
    case rest
}

/// How a video's stages run.
public enum PipelineMode: String, CaseIterable, Sendable {
    /// Decoding, following and the outputs in three threads joined by short queues.
    case overlapped
    /// Each frame decoded, followed and written before the next is decoded (the earlier path, for comparison).
    case sequential
}

/// What processing one video produced.
public struct ProcessSummary: Sendable {
    public let input: String
    /// Every file written, the provenance record last.
    public internal(set) var outputs: [String]
    public let frames: Int
    public let framesWithFace: Int
    public let detections: Int
    /// Frames by what became of them, as the performance report lists them.
    public let frameCounts: [FrameTally.Count]
    public let report: PerformanceReport
    /// The input's average frame rate, and the time from its first frame to the end of its last.
    public let frameRate: Double
    public let durationSeconds: Double
    /// Median |head yaw| in degrees over the frames with a face (NaN without any), and how many of
    /// those frames face the camera within 5°.
    public let medianAbsoluteYaw: Double
    public let framesYawWithin5: Int
    /// Frames with poor landmarks and why.
    public let landmarkQuality: LandmarkQualitySummary
    /// The landmark asymmetry measures over the video (`<stem>_asymmetry_summary.json`).
    public let asymmetry: AsymmetrySummary?
    /// The exam (nil when its coding file could not be used: `examProblem` says why).
    public let exam: ExamResult?
    public internal(set) var examProblem: String?
    /// Every file written with its size and SHA-256, the provenance record last.
    public internal(set) var files: [ProvenanceRecord.File] = []

    /// The frames (or hemifaces) that failed, by reason.
    public var failures: [FrameTally.Count] { frameCounts.filter(\.failed) }
}
