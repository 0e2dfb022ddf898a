import FaceMirrorCore

/// The landmark measures of every frame of a video, kept as the frames go by (a few hundred bytes a
/// frame, no landmarks or pictures) for the asymmetry table and summary at its end.
public struct MeasureTrack: Sendable {
    public struct Frame: Sendable {
        public let index: Int
        public let time: Double
        /// Nil where the frame has no face.
        public let measures: FrameMeasures?
        /// The frame's landmarks are poor (`LandmarkQuality`): its measures stay in the table, flagged,
        /// and are left out of the summary.
        public let poorLandmarks: Bool
        /// Head yaw and pitch in degrees (NaN where not known): the exam leaves out turned heads.
        public let yaw: Double
        public let pitch: Double
    }

    public private(set) var frames: [Frame] = []

    public init() {}

    public mutating func add(index: Int, time: Double, measures: FrameMeasures?, poorLandmarks: Bool = false,
                             yaw: Double = .nan, pitch: Double = .nan) {
        frames.append(Frame(index: index, time: time, measures: measures, poorLandmarks: poorLandmarks, yaw: yaw, pitch: pitch))
    }

    /// The video's asymmetry summary, with the AU asymmetry of each frame's AUs (`AUTable.asymmetryFrame`)
    /// when AUs were measured (one per frame, in order). Frames with poor landmarks are left out of both.
    public func summary(mmPerPx: Double?, actionUnits: (frames: [AUAsymmetry.Frame], units: [String])?) -> AsymmetrySummary {
        var summary = AsymmetrySummary(frames: frames.map { ($0.index, $0.measures) }, mmPerPx: mmPerPx,
                                       leftOut: Set(frames.filter(\.poorLandmarks).map(\.index)))
        if let actionUnits {
            let kept = actionUnits.frames.enumerated().filter { i, _ in i >= frames.count || !frames[i].poorLandmarks }.map(\.element)
            let au = AUAsymmetry.summaries(kept, units: actionUnits.units)
            summary.actionUnits = au.units
            summary.actionUnitZones = au.zones
        }
        return summary
    }
}
