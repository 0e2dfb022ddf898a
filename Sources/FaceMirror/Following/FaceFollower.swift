import FaceMirrorCore
import Logging
import MediaBinding

/// Follows the face through a video and says, frame by frame, what it found: the tracker (detect
/// once, then follow), the landmark smoothing, its restarts, and the warning about several faces.
public final class FaceFollower {
    /// How the face is followed.
    public struct Settings: Sendable, Equatable {
        /// Detect on every frame, no tracking, no smoothing: each frame's results are what the
        /// reference code computes for that frame alone (PFLD's crop unrotated, as the reference's).
        public var raw = false
        /// Frames in the landmark smoothing window (1 = none).
        public var smoothingWindow = 5

        public init(raw: Bool = false, smoothingWindow: Int = 5) {
            self.raw = raw
            self.smoothingWindow = smoothingWindow
        }
    }

    public let settings: Settings
    private let tracker: FaceTracker
    private var smoother: LandmarkSmoother
    private let logger: Logger
    private let videoName: String
    private var lastFaceCount = 1
    private var warnedManyFaces = false

    public init(detector: FaceDetector, landmarker: LandmarkDetector, settings: Settings, videoName: String, logger: Logger) {
        self.settings = settings
        tracker = FaceTracker(detector: detector, landmarker: landmarker)
        smoother = LandmarkSmoother(window: settings.raw ? 1 : settings.smoothingWindow)
        self.videoName = videoName
        self.logger = logger
    }

    /// Times the detector ran so far.
    public var detections: Int { tracker.detections }

    /// The analysis of the next frame of the video. A frame whose face cannot be found or used is a
    /// failed frame with its reason; the video goes on with the next.
    public func analyse(_ frame: VideoFrame, timer: StageTimer) -> FrameAnalysis {
        if settings.raw { tracker.reset() }
        switch tracker.next(frame.image, timer: timer, unrotated: settings.raw) {
        case .none(let failure, let faces):
            smoother.reset()
            return .failed(index: frame.index, time: frame.time, failure, facesFound: faces)
        case .face(let found):
            if found.detected {
                smoother.reset()
                warnIfSeveralFaces(found.facesFound, frame: frame.index)
            }
            let smoothed = timer.measure("smooth") { smoother.add(found.landmarks) }
            guard smoothed.midline.isUsable else {
                tracker.reset()
                smoother.reset()
                return .failed(index: frame.index, time: frame.time, .degenerateMidline, facesFound: found.facesFound)
            }
            return FrameAnalysis(index: frame.index, time: frame.time, status: found.detected ? .detected : .tracked,
                                 box: found.box, rawLandmarks: found.landmarks, landmarks: smoothed,
                                 confidence: found.confidence, yaw: HeadYaw.degrees(smoothed), facesFound: found.facesFound,
                                 newTrack: found.detected)
        }
    }

    /// The first time the detector sees several faces is worth a warning: the user may not expect
    /// anyone else in the picture. Later changes in the count are logged at info level.
    private func warnIfSeveralFaces(_ count: Int, frame: Int) {
        defer { lastFaceCount = count }
        guard count > 1, count != lastFaceCount else { return }
        let message: Logger.Message = "\(videoName) frame \(frame): \(count) faces found, following the largest"
        if warnedManyFaces { logger.info(message) } else { logger.warning(message) }
        warnedManyFaces = true
    }
}
