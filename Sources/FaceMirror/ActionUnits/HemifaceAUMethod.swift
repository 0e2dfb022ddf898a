import FaceMirrorCore
import Logging

/// An action-unit method run on both mirrored hemifaces of each frame, in the analysis path (not in an
/// output). Its models load once per job; `begin` starts a video, `add` takes each frame in order, and
/// `finish` returns the video's table with the post-processing the method needs (OpenFace 2's running
/// medians, say). The outputs receive that table as data.
public protocol HemifaceAUMethod: AnyObject {
    var method: AUMethod { get }
    /// The method's name in logs, the performance report and the fingerprint.
    var name: String { get }
    /// The AU columns of its table, in order.
    var actionUnits: [String] { get }
    /// Columns it gives beside the AUs (written to `<stem>_{right,left}_mirrored_extra.csv`).
    var extraColumns: [String] { get }
    /// The model files it loaded, for the provenance record and the study's fingerprint.
    var models: [ModelUse] { get }
    /// Settings of its own that change its numbers, by name, for the fingerprint and the provenance.
    var settings: [String: String] { get }
    /// Forgets any earlier video and starts this one.
    func begin(_ video: AUVideoContext)
    /// Measures both hemifaces of the next frame (a frame without a face is recorded as not measured).
    func add(_ frame: AnalysedFrame)
    /// The video's table, after its last frame. `neutralFrames`: the positions (0 = the video's first
    /// frame) of frames that show the person's neutral face (`--au-baseline rest`: the exam's rest), for
    /// a method whose post-processing takes a neutral (OpenFace 2's dynamic AUs); nil: its own.
    func finish(neutralFrames: [Int]?) throws -> AUTable
}

/// What an AU method needs to know about the video it measures.
public struct AUVideoContext {
    public let width: Int
    public let height: Int
    public let layout: LandmarkLayout
    public let timer: StageTimer
    /// Where a hemiface that could not be measured is counted, with the reason.
    public let tally: FrameTally
    public let logger: Logger
    /// Both hemifaces at once in two threads (off when the run asked for one thread).
    public let parallel: Bool

    public init(width: Int, height: Int, layout: LandmarkLayout, timer: StageTimer, tally: FrameTally, logger: Logger, parallel: Bool) {
        self.width = width
        self.height = height
        self.layout = layout
        self.timer = timer
        self.tally = tally
        self.logger = logger
        self.parallel = parallel
    }
}
