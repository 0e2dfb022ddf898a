import Foundation

/// The exam of one video (`<stem>_exam.json`; `<stem>_exam.csv` flattens it): the timeline used, and
/// per movement its peak, its rest, and per zone, landmark measure and AU each side's rest, peak and
/// movement with the movement symmetry; the resting symmetry; synkinesis.
public struct ExamResult: Codable, Sendable {
    /// Where the timeline came from and what it holds.
    public struct Timeline: Codable, Sendable {
        public var source: TimelineSource
        /// The coding file or upstream CSV read (nil for one found automatically).
        public var file: String?
        public var sha256: String?
        public var segments: [ActionSegment]

        public init(source: TimelineSource, file: String?, sha256: String?, segments: [ActionSegment]) {
            self.source = source
            self.file = file
            self.sha256 = sha256
            self.segments = segments
        }
    }

    /// A value on each side of the face (the patient's right and left).
    public struct Sides: Codable, Sendable, Equatable {
        public var right: Double
        public var left: Double

        public init(right: Double, left: Double) {
            self.right = right
            self.left = left
        }
    }

    /// One landmark measure or AU of one movement.
    public struct Item: Codable, Sendable {
        public enum Kind: String, Codable, Sendable { case measure, actionUnit = "au" }
        public var zone: FaceZone
        public var name: String
        public var kind: Kind
        /// "intercanthal" (lengths as a fraction of the intercanthal distance), "degrees" or "intensity".
        public var unit: String
        public var rest: Sides
        public var peak: Sides
        /// Peak − rest.
        public var movement: Sides
        /// Weaker ÷ stronger movement × 100 (0 when the weaker side moves the other way); NaN when
        /// neither side moved more than the smallest movement counted.
        public var symmetry: Double
        /// "right" or "left"; nil when neither moved.
        public var weakerSide: String?
        /// The upstream analysis's features, on the AUs' peak intensities and the measures' movements:
        /// left − right, smaller ÷ larger (0…1) and |left − right| ÷ their mean × 100 (capped at 200).
        public var difference: Double
        public var ratio: Double
        public var percentDifference: Double
    }

    /// A zone's movement symmetry in one movement, from its leading measure.
    public struct ZoneSymmetry: Codable, Sendable {
        public var zone: FaceZone
        public var measure: String
        public var symmetry: Double
        public var weakerSide: String?
    }

    /// Movement of one zone during a movement of another, per side.
    public struct Synkinesis: Codable, Sendable {
        /// "mouth during eye movement" or "eye during mouth movement".
        public var kind: String
        /// Mouth: the corner's displacement from rest (intercanthal); eye: narrowing in % of its rest opening.
        public var value: Sides
        public var unit: String
        /// The sides above the threshold and beyond the other side (`ExamAnalysis.synkinesis`).
        public var flagged: [String]
    }

    public struct Movement: Codable, Sendable {
        public var action: ExamAction
        public var name: String
        /// 1 for the first segment of this code, 2 for the second, …
        public var occurrence: Int
        public var start: Double
        public var end: Double
        public var source: TimelineSource
        public var confidence: Double
        /// The zone asked of the movement.
        public var zone: FaceZone
        /// How rest was taken: "rest segments" (the nearest before and after) or "quietest second".
        public var restFrom: String
        public var restFrames: Int
        /// The peak's first and last frame (video frame numbers) and how many frames it holds.
        public var peakFirstFrame: Int?
        public var peakLastFrame: Int?
        public var peakFrames: Int
        /// The side whose key measure moved more (the peak is found on it).
        public var leadingSide: String?
        /// The frames `<stem>_exam_stills.jpg` shows: a typical rest frame and the peak's extreme (video frame numbers).
        public var restStillFrame: Int?
        public var peakStillFrame: Int?
        /// What to know before trusting the numbers: a single-frame peak, turned heads left out, …
        public var flags: [String]
        public var zones: [ZoneSymmetry]
        public var items: [Item]
        public var synkinesis: [Synkinesis]
    }

    /// A zone's static asymmetry at rest.
    public struct RestingSymmetry: Codable, Sendable {
        public var zone: FaceZone
        public var measure: String
        public var value: Sides
        /// Left − right.
        public var difference: Double
        /// Smaller ÷ larger × 100.
        public var symmetry: Double
        /// The side with the smaller value (lower brow, narrower eye, lower corner).
        public var lowerSide: String?
    }

    public var video: String
    public var timeline: Timeline
    public var movements: [Movement]
    public var restingSymmetry: [RestingSymmetry]
    public var warnings: [String]
    /// Why there are no movements, when there are none.
    public var noMovement: String?
}
