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

    public init(index: Int, time: Double, status: FrameStatus, box: FaceBox? = nil, rawLandmarks: FaceLandmarks? = nil,
                landmarks: FaceLandmarks? = nil, confidence: Double = .nan, yaw: Double = .nan, facesFound: Int = 0,
                newTrack: Bool = false) {
        self.index = index; self.time = time; self.status = status; self.box = box; self.rawLandmarks = rawLandmarks
        self.landmarks = landmarks; self.confidence = confidence; self.yaw = yaw; self.facesFound = facesFound
        self.newTrack = newTrack
    }

    public var hasFace: Bool { landmarks != nil }
    /// The glabella–chin line of the smoothed landmarks.
    public var midline: Midline? { landmarks?.midline }
}

/// How a frame's face was found, or why none was.
public enum FrameStatus: Sendable, Equatable, CustomStringConvertible {
    /// Landmarks fitted from a box placed by the previous frame's landmarks.
    case tracked
    /// The detector ran on this frame and the landmarks start from its box (or confirmed the tracked fit).
    case detected
    case noFace(NoFaceReason)

    public var description: String {
        switch self {
        case .tracked: return "tracked"
        case .detected: return "detected"
        case .noFace(let reason): return reason.rawValue
        }
    }
}

/// Why a frame has no face.
public enum NoFaceReason: String, Sendable, CaseIterable {
    case noDetection = "no face detected"
    case landmarkFitFailed = "landmark fit failed"
}
