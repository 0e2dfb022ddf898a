import FaceMirrorCore
import Logging
import MediaBinding

/// How a track's landmarks are smoothed over frames.
public enum LandmarkSmoothing: String, Sendable, CaseIterable {
    /// Zero lag: a centred window over frames t−k … t+k of the same track (`CentredSmoothing`); the
    /// frame's analysis comes k frames late, which the processor absorbs by holding k frames back.
    case centred
    /// The upstream tool's filter: weighted mean of the last five frames, 0.5 → 1.0. It trails a moving head.
    case causal
    /// Each frame's own fit.
    case none
}

/// Follows the face through a video and says, frame by frame, what it found: the tracker (detect
/// once, then follow), the landmark smoothing, its restarts, and the warning about several faces.
///
/// Frames go in with `add` and come out, with their analyses and in order, from `add` and `finish`:
/// with centred smoothing a frame comes out once the k frames after it are known (or its track ended).
public final class FaceFollower {
    /// How the face is followed.
    public struct Settings: Sendable, Equatable {
        /// Detect on every frame, no tracking, no smoothing: each frame's results are what the
        /// reference code computes for that frame alone (PFLD's crop unrotated, as the reference's).
        public var raw = false
        public var smoothing = LandmarkSmoothing.centred

        public init(raw: Bool = false, smoothing: LandmarkSmoothing = .centred) {
            self.raw = raw
            self.smoothing = smoothing
        }

        /// The settings for `--raw` and `--smoothing` as given (`smoothing` nil: centred, or none with `raw`).
        public static func choose(raw: Bool, smoothing: LandmarkSmoothing?) throws -> Settings {
            if raw, let smoothing, smoothing != .none {
                throw RunPlanError.invalidOptions("--raw smooths nothing; it cannot go with --smoothing \(smoothing.rawValue)")
            }
            return Settings(raw: raw, smoothing: smoothing ?? (raw ? .none : .centred))
        }

        /// What is applied: `raw` means no smoothing whatever `smoothing` says.
        public var effectiveSmoothing: LandmarkSmoothing { raw ? .none : smoothing }
    }

    /// One track: the landmark fits of consecutive frames from the detection that started it.
    private final class Track {
        var fits: [FaceLandmarks] = []
        /// Fits dropped from the front (no frame still waiting needs them).
        var dropped = 0
        /// True once a later frame started another track or had no face: no more fits will come.
        var ended = false
        var count: Int { dropped + fits.count }
    }

    /// A frame waiting for its analysis.
    private struct Waiting {
        let frame: VideoFrame
        let outcome: Outcome
    }

    private enum Outcome {
        case face(FaceTracker.Result, track: Track, position: Int)
        case failed(FrameFailure, facesFound: Int)
    }

    public let settings: Settings
    private let tracker: FaceTracker
    private var causal = LandmarkSmoother(window: 5)
    private let logger: Logger
    private let videoName: String
    private var lastFaceCount = 1
    private var warnedManyFaces = false
    private var track: Track?
    private var waiting: [Waiting] = []
    private var smoothTimer: StageTimer?

    public init(detector: FaceDetector, landmarker: LandmarkDetector, settings: Settings, videoName: String, logger: Logger) {
        self.settings = settings
        tracker = FaceTracker(detector: detector, landmarker: landmarker)
        self.videoName = videoName
        self.logger = logger
    }

    /// Times the detector ran so far.
    public var detections: Int { tracker.detections }
    public var regionDetections: Int { tracker.regionDetections }

    /// Frames an analysis comes after its frame went in.
    public var delay: Int { settings.effectiveSmoothing == .centred ? CentredSmoothing.radius : 0 }

    /// Fits the next frame. Returns the frames whose analysis is now known, oldest first. A frame whose
    /// face cannot be found or used is a failed frame with its reason; the video goes on.
    public func add(_ frame: VideoFrame, timer: StageTimer) -> [(frame: VideoFrame, analysis: FrameAnalysis)] {
        smoothTimer = timer
        if settings.raw { tracker.reset() }
        let outcome: Outcome
        switch tracker.next(frame.image, timer: timer, unrotated: settings.raw) {
        case .none(let failure, let faces):
            endTrack()
            outcome = .failed(failure, facesFound: faces)
        case .face(let found) where !found.landmarks.midline.isUsable:
            tracker.reset()
            endTrack()
            outcome = .failed(.degenerateMidline, facesFound: found.facesFound)
        case .face(let found):
            if found.detected {
                endTrack()
                warnIfSeveralFaces(found.facesFound, frame: frame.index)
            }
            let current = track ?? Track()
            track = current
            current.fits.append(found.landmarks)
            outcome = .face(found, track: current, position: current.count - 1)
        }
        waiting.append(Waiting(frame: frame, outcome: outcome))
        return release()
    }

    /// After the last frame: the frames still waiting, with their analyses.
    public func finish() -> [(frame: VideoFrame, analysis: FrameAnalysis)] {
        endTrack()
        return release()
    }

    private func endTrack() {
        track?.ended = true
        track = nil
        causal.reset()
    }

    /// Analyses of the waiting frames that can be completed, in order.
    private func release() -> [(frame: VideoFrame, analysis: FrameAnalysis)] {
        var out: [(frame: VideoFrame, analysis: FrameAnalysis)] = []
        while let first = waiting.first, let analysis = complete(first) {
            waiting.removeFirst()
            out.append((first.frame, analysis))
        }
        trimTracks()
        return out
    }

    private func complete(_ w: Waiting) -> FrameAnalysis? {
        switch w.outcome {
        case .failed(let failure, let faces):
            return .failed(index: w.frame.index, time: w.frame.time, failure, facesFound: faces)
        case .face(let found, let t, let position):
            let smoothed: FaceLandmarks
            switch settings.effectiveSmoothing {
            case .none:
                smoothed = found.landmarks
            case .causal:
                if found.detected { causal.reset() }
                smoothed = time { causal.add(found.landmarks) }
            case .centred:
                let k = CentredSmoothing.radius
                guard t.ended || t.count - 1 - position >= k else { return nil }
                let from = max(position - k, t.dropped), to = min(position + k, t.count - 1)
                let window = Array(t.fits[(from - t.dropped)...(to - t.dropped)])
                smoothed = time { CentredSmoothing.smoothed(window, at: position - from) }
            }
            guard smoothed.midline.isUsable else {
                return .failed(index: w.frame.index, time: w.frame.time, .degenerateMidline, facesFound: found.facesFound)
            }
            let yaw = HeadYaw.degrees(smoothed)
            return FrameAnalysis(index: w.frame.index, time: w.frame.time, status: found.detected ? .detected : .tracked,
                                 box: found.box, rawLandmarks: found.landmarks, landmarks: smoothed,
                                 confidence: found.confidence, yaw: yaw, facesFound: found.facesFound,
                                 newTrack: found.detected,
                                 quality: LandmarkQuality.assess(found.landmarks, yaw: yaw, image: w.frame.image))
        }
    }

    private func time<T>(_ body: () -> T) -> T {
        smoothTimer.map { $0.measure("smooth", body) } ?? body()
    }

    /// Keeps of each track only the fits a waiting frame's window still reaches.
    private func trimTracks() {
        let k = CentredSmoothing.radius
        for w in waiting {
            guard case .face(_, let t, let position) = w.outcome else { continue }
            let keepFrom = max(0, position - k)
            if keepFrom > t.dropped {
                t.fits.removeFirst(keepFrom - t.dropped)
                t.dropped = keepFrom
            }
            return  // the oldest waiting frame bounds what every later one needs
        }
        // Nothing waits: the current track needs only its last k fits for the frames to come.
        if let t = track, t.count - k > t.dropped {
            let keepFrom = t.count - k
            t.fits.removeFirst(keepFrom - t.dropped)
            t.dropped = keepFrom
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
