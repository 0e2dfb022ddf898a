import FaceMirrorCore

/// What the face follower made of one frame: the one value every output reads.
public struct FrameAnalysis: Sendable {
    public let index: Int
    /// Presentation time in seconds.
    public let time: Double
    public let status: FrameStatus
    /// The box the landmarks were fitted in.
    public let box: FaceBox?
    /// Landmarks as fitted on this frame.
    public let rawLandmarks: FaceLandmarks?
    /// Landmarks after smoothing: what the midline, the mirror and the CSV use.
    public let landmarks: FaceLandmarks?
    /// Detector score of the detection the current track started from (NaN without a face).
    public let confidence: Double
    /// Head yaw in degrees (NaN without a face).
    public let yaw: Double
    /// Faces the detector found, when it ran on this frame (0 otherwise).
    public let facesFound: Int
    /// True when this frame starts a new track (the detector placed the face; a frame without a face
    /// ends the track): anything smoothed over frames starts again.
    public let newTrack: Bool
    /// How far the landmarks can be trusted (nil without a face).
    public let quality: LandmarkQuality?

    public init(index: Int, time: Double, status: FrameStatus, box: FaceBox? = nil, rawLandmarks: FaceLandmarks? = nil,
                landmarks: FaceLandmarks? = nil, confidence: Double = .nan, yaw: Double = .nan, facesFound: Int = 0,
                newTrack: Bool = false, quality: LandmarkQuality? = nil) {
        self.index = index; self.time = time; self.status = status; self.box = box; self.rawLandmarks = rawLandmarks
        self.landmarks = landmarks; self.confidence = confidence; self.yaw = yaw; self.facesFound = facesFound
        self.newTrack = newTrack; self.quality = quality
    }

    /// The analysis of a frame without a usable face.
    public static func failed(index: Int, time: Double, _ failure: FrameFailure, facesFound: Int = 0) -> FrameAnalysis {
        FrameAnalysis(index: index, time: time, status: .failed(failure), facesFound: facesFound)
    }

    public var hasFace: Bool { landmarks != nil }
    /// The glabella–chin line of the smoothed landmarks.
    public var midline: Midline? { landmarks?.midline }
}

/// How a frame's face was found, or why the frame has none.
public enum FrameStatus: Sendable, Equatable, CustomStringConvertible {
    /// Landmarks fitted from a box placed by the previous frame's landmarks.
    case tracked
    /// The detector ran on this frame and the landmarks start from its box (or confirmed the tracked fit).
    case detected
    /// No usable face on this frame: it is written with `success=0` and NaN values, and the video goes on.
    case failed(FrameFailure)

    /// The name frames are counted under in the summary and the performance report.
    public var description: String {
        switch self {
        case .tracked: return "tracked"
        case .detected: return "detected"
        case .failed(let failure): return failure.reason
        }
    }
}

/// Why a frame has no usable face.
public enum FrameFailure: Sendable, Equatable, CustomStringConvertible {
    case noFaceDetected
    /// The landmark model gave points that are not numbers.
    case landmarkFitFailed
    /// Glabella and chin (nearly) coincide: no line to mirror about.
    case degenerateMidline
    /// A stage (detector, landmark model, mirror) failed on this frame; `message` says how.
    case stageError(stage: String, message: String)

    /// What frames are counted under: the kind of failure, without the details of one frame.
    public var reason: String {
        switch self {
        case .noFaceDetected: return "no face detected"
        case .landmarkFitFailed: return "landmark fit failed"
        case .degenerateMidline: return "degenerate midline"
        case .stageError(let stage, _): return "\(stage) error"
        }
    }

    public var description: String {
        if case .stageError(let stage, let message) = self { return "\(stage) error: \(message)" }
        return reason
    }
}
