import FaceMirrorCore
import Foundation

/// `<stem>_asymmetry_summary.json`: each measure over a video — median, 5th and 95th percentile per
/// side and their range of motion (95th − 5th: how far each side moves, the dynamic measure palsy
/// studies need), the left − right difference and the symmetric index — and each zone's index.
/// Lengths are fractions of the intercanthal distance, the smile angle is in degrees.
public struct AsymmetrySummary: Codable, Sendable {
    public struct Spread: Codable, Sendable, Equatable {
        public let median: Double
        public let p5: Double
        public let p95: Double
        /// 95th − 5th percentile.
        public let rangeOfMotion: Double

        init(_ values: [Double]) {
            let v = values.filter(\.isFinite)
            median = Statistics.percentile(v, 50)
            p5 = Statistics.percentile(v, 5)
            p95 = Statistics.percentile(v, 95)
            rangeOfMotion = p95 - p5
        }
    }

    public struct Measure: Codable, Sendable {
        public let name: String
        public let zone: String
        public let unit: String
        public let right: Spread
        public let left: Spread
        /// Left − right.
        public let difference: Spread
        /// |L − R| / (|L| + |R|); absent for the angle.
        public let index: Spread?
        /// The sides in millimetres, with `--mm-per-px`.
        public let rightMm: Spread?
        public let leftMm: Spread?
    }

    public struct Zone: Codable, Sendable {
        public let name: String
        public let index: Spread
    }

    public let frames: Int
    public let framesWithFace: Int
    /// Frames with a face left out because their landmarks are poor (absent in summaries written before
    /// the landmark quality was measured).
    public let framesLeftOut: Int?
    public let medianIntercanthalPx: Double
    public let mmPerPx: Double?
    public let measures: [Measure]
    public let zones: [Zone]
    public let overallIndex: Spread
    /// The frame whose overall index is the video's largest, and one whose index is nearest its median
    /// (for stills in a report); nil without a face.
    public let largestAsymmetryFrame: Int?
    public let representativeFrame: Int?
    /// With an AU model: per AU and per zone (`AUAsymmetry.Summary`).
    public internal(set) var actionUnits: [AUAsymmetry.Summary]?
    public internal(set) var actionUnitZones: [AUAsymmetry.Summary]?

    /// From every frame's measures (nil where the frame has no face), less the frames `leftOut`.
    public init(frames: [(index: Int, measures: FrameMeasures?)], mmPerPx: Double?, leftOut: Set<Int> = []) {
        let all = frames.compactMap { f in f.measures.map { (f.index, $0) } }
        let faces = all.filter { !leftOut.contains($0.0) }
        self.frames = frames.count
        framesWithFace = all.count
        framesLeftOut = all.count - faces.count
        medianIntercanthalPx = Statistics.percentile(faces.map(\.1.intercanthal), 50)
        self.mmPerPx = mmPerPx
        measures = FacialMeasure.allCases.enumerated().map { i, m in
            let right = faces.map { $0.1.normalised($0.1.right[i], m) }
            let left = faces.map { $0.1.normalised($0.1.left[i], m) }
            let mm: (([Double]) -> Spread?) = { side in
                guard let mmPerPx, !m.isAngle else { return nil }
                return Spread(side.map { $0 * mmPerPx })
            }
            return Measure(name: m.rawValue, zone: m.zone.rawValue,
                           unit: m.isAngle ? "degrees" : "fraction of the intercanthal distance",
                           right: Spread(right), left: Spread(left), difference: Spread(faces.map { $0.1.difference(m) }),
                           index: m.isAngle ? nil : Spread(faces.map { $0.1.index(m) }),
                           rightMm: mm(faces.map { $0.1.right[i] }), leftMm: mm(faces.map { $0.1.left[i] }))
        }
        zones = FaceZone.allCases.map { z in Zone(name: z.rawValue, index: Spread(faces.map { $0.1.zoneIndex(z) })) }
        let overall = faces.map { ($0.0, $0.1.overallIndex) }.filter { $0.1.isFinite }
        overallIndex = Spread(overall.map(\.1))
        // The still of largest asymmetry comes from inside the stretch with a face, away from its ends,
        // where the landmarks are smoothed over fewer frames and a face comes or goes.
        let first = overall.first?.0 ?? 0, last = overall.last?.0 ?? 0
        let inside = overall.filter { $0.0 - first >= AsymmetrySummary.edgeFrames && last - $0.0 >= AsymmetrySummary.edgeFrames }
        largestAsymmetryFrame = (inside.isEmpty ? overall : inside).max { $0.1 < $1.1 }?.0
        let median = overallIndex.median
        representativeFrame = overall.min { abs($0.1 - median) < abs($1.1 - median) }?.0
    }

    /// Frames at each end of the stretch with a face that the still of largest asymmetry is not taken from
    /// (twice the centred smoothing's radius).
    public static let edgeFrames = 2 * CentredSmoothing.radius

    public func json() throws -> Data { try JSONOutput.encode(self) }
}
