/// Where a segment of a video's action timeline comes from.
public enum TimelineSource: String, Sendable, Codable {
    /// A person's coding: `--actions FILE` or `<stem>_actions.csv`.
    case codingFile = "coding file"
    /// An upstream action-coded CSV beside the video.
    case upstreamCSV = "upstream csv"
    /// Found from the measures.
    case auto
}

/// One movement (or rest) of the exam, from `start` to `end` seconds of the video's time line.
public struct ActionSegment: Sendable, Equatable, Codable {
    public var action: ExamAction
    public var start: Double
    public var end: Double
    public var source: TimelineSource
    /// How sure the finding is, 0…1; 1 for a person's coding.
    public var confidence: Double
    /// The zone that moved, for a movement found automatically (for `??` the only label it has).
    public var zone: FaceZone?

    public init(action: ExamAction, start: Double, end: Double, source: TimelineSource, confidence: Double = 1, zone: FaceZone? = nil) {
        self.action = action
        self.start = start
        self.end = end
        self.source = source
        self.confidence = confidence
        self.zone = zone
    }

    public var duration: Double { end - start }

    /// True when the frame shown at `time` belongs to it (start included, end excluded).
    public func contains(_ time: Double) -> Bool { time >= start && time < end }
}
