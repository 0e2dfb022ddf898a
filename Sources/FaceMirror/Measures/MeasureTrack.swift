import FaceMirrorCore

/// The landmark measures of every frame of a video, kept as the frames go by (a few hundred bytes a
/// frame, no landmarks or pictures) for the asymmetry table and summary at its end.
public struct MeasureTrack: Sendable {
    public struct Frame: Sendable {
        public let index: Int
        public let time: Double
        /// Nil where the frame has no face.
        public let measures: FrameMeasures?
    }

    public private(set) var frames: [Frame] = []

    public init() {}

    public mutating func add(index: Int, time: Double, measures: FrameMeasures?) {
        frames.append(Frame(index: index, time: time, measures: measures))
    }

    /// The video's asymmetry summary, with the AU asymmetry of each frame's AUs (`AUTable.asymmetryFrame`)
    /// when AUs were measured.
    public func summary(mmPerPx: Double?, actionUnits: (frames: [AUAsymmetry.Frame], units: [String])?) -> AsymmetrySummary {
        var summary = AsymmetrySummary(frames: frames.map { ($0.index, $0.measures) }, mmPerPx: mmPerPx)
        if let actionUnits {
            let au = AUAsymmetry.summaries(actionUnits.frames, units: actionUnits.units)
            summary.actionUnits = au.units
            summary.actionUnitZones = au.zones
        }
        return summary
    }
}
