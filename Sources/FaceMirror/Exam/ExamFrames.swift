import FaceMirrorCore
import Foundation

/// A video's frames as the exam reads them: per frame and side each landmark measure (lengths as a
/// fraction of the intercanthal distance, the angle in degrees) and each AU of the run's first AU
/// method; NaN where the frame has no face or poor landmarks. Frames with the head turned beyond the
/// limits are kept for the timeline but never chosen as a movement's peak.
public struct ExamFrames: Sendable {
    /// A turned head fakes asymmetry: peaks are taken only from frames within these (degrees).
    public static let yawLimit = 10.0
    public static let pitchLimit = 15.0

    public let indices: [Int]
    public let times: [Double]
    /// The time the last frame ends.
    public let duration: Double
    /// The frame has a face with landmarks good enough to measure.
    public let usable: [Bool]
    /// The frame is usable and the head within the limits (an unknown angle does not exclude it).
    public let facing: [Bool]
    public let actionUnits: [String]
    private let values: [Hemiface: [[Double]]]   // side → measure → frames
    private let units: [Hemiface: [[Double]]]    // side → AU → frames

    public init(measures track: MeasureTrack, actionUnits table: AUTable?, duration: Double) {
        let frames = track.frames
        indices = frames.map(\.index)
        times = frames.map(\.time)
        self.duration = duration
        usable = frames.map { $0.measures != nil && !$0.poorLandmarks }
        facing = frames.indices.map { i in
            let f = frames[i]
            return (frames[i].measures != nil && !f.poorLandmarks) && !(abs(f.yaw) > ExamFrames.yawLimit) && !(abs(f.pitch) > ExamFrames.pitchLimit)
        }
        var values: [Hemiface: [[Double]]] = [:]
        for side in Hemiface.allCases {
            values[side] = FacialMeasure.allCases.enumerated().map { k, measure in
                frames.map { f in
                    guard let m = f.measures, !f.poorLandmarks else { return .nan }
                    return m.normalised(side == .right ? m.right[k] : m.left[k], measure)
                }
            }
        }
        self.values = values
        let usableFrames = usable
        let names = table?.actionUnits ?? []
        actionUnits = names
        var units: [Hemiface: [[Double]]] = [:]
        for side in Hemiface.allCases {
            units[side] = names.map { unit in
                frames.indices.map { i in
                    guard let table, i < table.count, usableFrames[i], table.isMeasured(frame: i, side: side) else { return .nan }
                    return table.intensity(unit, frame: i, side: side)
                }
            }
        }
        self.units = units
    }

    public var count: Int { times.count }

    /// Every frame's value of `measure` on `side`.
    public func series(_ measure: FacialMeasure, _ side: Hemiface) -> [Double] {
        values[side]![FacialMeasure.allCases.firstIndex(of: measure)!]
    }

    /// Every frame's intensity of `unit` on `side` (nil when the run has no such AU).
    public func series(unit: String, _ side: Hemiface) -> [Double]? {
        actionUnits.firstIndex(of: unit).map { units[side]![$0] }
    }

    /// The frames shown within `segment` (start included, end excluded).
    public func frames(in segment: ActionSegment) -> [Int] {
        Array(ExamFrames.first(in: times, atOrAfter: segment.start)..<ExamFrames.first(in: times, atOrAfter: segment.end))
    }

    /// The first index whose time is at or after `t` in times sorted ascending (binary search).
    static func first(in times: [Double], atOrAfter t: Double) -> Int {
        var lo = 0, hi = times.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if times[mid] < t { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
