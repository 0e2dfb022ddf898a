import FaceMirrorCore
import Foundation

/// The measures of one frame, each per side (patient's right and left), with the scale measured on
/// the same frame.
public struct FrameMeasures: Sendable, Equatable {
    /// Pixels (degrees for the smile angle), in `FacialMeasure.allCases` order.
    public let right: [Double]
    public let left: [Double]
    /// Distance between the inner eye corners, pixels: the scale lengths are divided by.
    public let intercanthal: Double

    /// The measures of a face, or nil when its points give no midline or no scale.
    public init?(_ face: FaceLandmarks) {
        let layout = face.layout
        let frame = FaceFrame(midline: face.midline)
        guard let frame else { return nil }
        let scale = face[layout.patientRight.innerCanthus].distance(to: face[layout.patientLeft.innerCanthus])
        guard scale.isFinite, scale > 0 else { return nil }
        let centre = face.mean(of: layout.lipCentre)
        right = FrameMeasures.side(face, layout.patientRight, outward: -1, frame: frame, lipCentre: centre)
        left = FrameMeasures.side(face, layout.patientLeft, outward: 1, frame: frame, lipCentre: centre)
        intercanthal = scale
    }

    public init(right: [Double], left: [Double], intercanthal: Double) {
        self.right = right
        self.left = left
        self.intercanthal = intercanthal
    }

    /// One side's measures. `outward`: the sign that makes the side's distance from the midline
    /// positive (−1 for the image-left side).
    static func side(_ face: FaceLandmarks, _ p: MeasurePoints, outward: Double, frame: FaceFrame, lipCentre: Point) -> [Double] {
        let chinDown = frame.down(face[face.layout.chin])
        func above(_ i: Int) -> Double { chinDown - frame.down(face[i]) }
        let corner = face[p.commissure]
        return FacialMeasure.allCases.map { m -> Double in
            switch m {
            case .browHeight:
                return frame.down(face.mean(of: p.eye)) - frame.down(face.mean(of: p.brow))
            case .eyeOpening:
                let gaps = zip(p.upperLid, p.lowerLid).map { frame.down(face[$0.1]) - frame.down(face[$0.0]) }
                return gaps.reduce(0, +) / Double(gaps.count)
            case .alaHeight: return above(p.ala)
            case .commissureHeight: return above(p.commissure)
            case .commissureExcursion: return outward * frame.across(corner)
            case .smileAngle:
                let rise = frame.down(lipCentre) - frame.down(corner)
                let run = outward * (frame.across(corner) - frame.across(lipCentre))
                return atan2(rise, run) * 180 / .pi
            case .upperLipHeight: return above(p.upperLip)
            case .lowerLipHeight: return above(p.lowerLip)
            }
        }
    }

    /// A measure as a fraction of the intercanthal distance (lengths), or as it is (the angle).
    public func normalised(_ value: Double, _ measure: FacialMeasure) -> Double {
        measure.isAngle ? value : value / intercanthal
    }

    /// Left − right: normalised for lengths, degrees for the angle.
    public func difference(_ measure: FacialMeasure) -> Double {
        let i = FacialMeasure.allCases.firstIndex(of: measure)!
        return normalised(left[i], measure) - normalised(right[i], measure)
    }

    /// |L − R| / (|L| + |R|), 0 for a perfectly symmetric measure, 1 when one side is 0; lengths only
    /// (an angle near 0° would make it swing), NaN for the angle.
    public func index(_ measure: FacialMeasure) -> Double {
        guard !measure.isAngle else { return .nan }
        let i = FacialMeasure.allCases.firstIndex(of: measure)!
        return FrameMeasures.symmetricIndex(left[i], right[i])
    }

    static func symmetricIndex(_ l: Double, _ r: Double) -> Double {
        let sum = abs(l) + abs(r)
        return sum > 0 ? abs(l - r) / sum : 0
    }

    /// The mean index of a zone's length measures.
    public func zoneIndex(_ zone: FaceZone) -> Double {
        let values = FacialMeasure.allCases.filter { $0.zone == zone && !$0.isAngle }.map(index)
        return values.reduce(0, +) / Double(values.count)
    }

    /// The mean of the zones' indices.
    public var overallIndex: Double {
        FaceZone.allCases.map(zoneIndex).reduce(0, +) / Double(FaceZone.allCases.count)
    }
}

/// Coordinates in the face's own frame: `down` along the midline from the glabella towards the chin,
/// `across` from the midline towards the image's right.
struct FaceFrame {
    let origin: Point
    let axis: Point
    let normal: Point

    init?(midline: Midline) {
        guard midline.isUsable else { return nil }
        let dx = midline.chin.x - midline.glabella.x, dy = midline.chin.y - midline.glabella.y
        let length = (dx * dx + dy * dy).squareRoot()
        origin = midline.glabella
        axis = Point(dx / length, dy / length)
        normal = midline.normal
    }

    func down(_ p: Point) -> Double { (p.x - origin.x) * axis.x + (p.y - origin.y) * axis.y }
    func across(_ p: Point) -> Double { (p.x - origin.x) * normal.x + (p.y - origin.y) * normal.y }
}
