import FaceMirrorCore
import Foundation

/// The exam's numbers from a video's frames and its timeline (docs/method.md, "The exam"): for each
/// movement its peak on the side that moves more, its rest from the nearest rest segments, and per
/// zone, measure and AU each side's movement from rest and the movement symmetry; the resting symmetry
/// over the rest segments; synkinesis.
public enum ExamAnalysis {
    /// Changes when a number the exam gives changes (part of the study's fingerprint).
    public static let version = "1"
    /// The peak: frames whose key measure is within this fraction of its extreme, at least `peakFrames`.
    public static let peakWithin = 0.10
    public static let peakFrames = 3
    /// A movement smaller than this on both sides is no movement (its symmetry is not given), and the
    /// automatic timeline starts a movement only beyond it: lengths as a fraction of the intercanthal
    /// distance (0.05 ≈ 1.6 mm), above the wander of landmarks on a still face (dlib's brows wander by up
    /// to 0.03 over a still clip, its mouth corners sideways by up to 0.07 on the rolling sample); the
    /// smile angle in degrees.
    public static func smallestMovement(_ measure: FacialMeasure) -> Double {
        switch measure {
        case .browHeight, .upperLipHeight, .lowerLipHeight: return 0.06
        case .eyeOpening, .alaHeight: return 0.04
        case .commissureHeight: return 0.05
        // dlib's mouth corners wander sideways by up to 0.07 on a still face that rolls and moves (the sample).
        case .commissureExcursion: return 0.08
        case .smileAngle: return 3
        }
    }
    /// The same for AU intensities (0–5).
    public static let smallestIntensity = 0.2
    /// Synkinesis: the mouth corner moving at least this far (intercanthal) during an eye movement, and
    /// at least `mouthBeyondOther` times the other side's; the eye narrowing by at least `eyeNarrowing` %
    /// of its rest opening during a mouth movement, and `eyeBeyondOther` points more than the other side.
    public static let mouthDisplacement = 0.05
    public static let mouthBeyondOther = 1.5
    public static let eyeNarrowing = 20.0
    public static let eyeBeyondOther = 10.0

    /// The measure that speaks for a zone when the movement's own measure is elsewhere.
    public static let zoneMeasure: [FaceZone: FacialMeasure] = [.brow: .browHeight, .eye: .eyeOpening, .midface: .alaHeight, .mouth: .commissureHeight]

    public static func analyse(_ frames: ExamFrames, timeline: ExamResult.Timeline, video: String, noMovement: String? = nil) -> ExamResult {
        var warnings: [String] = []
        let rests = timeline.segments.filter { $0.action == .rest }
        var quietest: [Int]?
        var occurrences: [ExamAction: Int] = [:]
        var movements: [ExamResult.Movement] = []
        for segment in timeline.segments where segment.action != .rest {
            var flags: [String] = []
            // Rest: the nearest rest segment before and after the movement.
            let before = rests.last { $0.end <= segment.start + 1e-6 }, after = rests.first { $0.start >= segment.end - 1e-6 }
            var restFrames = [before, after].compactMap { $0 }.flatMap(frames.frames(in:)).filter { frames.facing[$0] }
            var restFrom = "rest segments"
            if restFrames.isEmpty {
                if quietest == nil {
                    quietest = quietestSecond(frames)
                    warnings.append(rests.isEmpty
                                    ? "no rest (BL) in the timeline: rest is taken from the quietest second of the video, which may not be rest"
                                    : "a movement with no measured rest beside it: rest is taken from the quietest second of the video")
                }
                restFrames = quietest!
                restFrom = "quietest second"
            }
            occurrences[segment.action, default: 0] += 1
            movements.append(movement(segment, occurrence: occurrences[segment.action]!, frames: frames, restFrames: restFrames,
                                      restFrom: restFrom, flags: &flags))
        }
        var reason = noMovement
        if movements.isEmpty && reason == nil {
            reason = timeline.segments.isEmpty ? "the timeline holds no segment" : "the timeline holds no movement, only rest"
        }
        // Resting symmetry over every rest segment, only where movements are analysed.
        var resting: [ExamResult.RestingSymmetry] = []
        let restFrames = rests.flatMap(frames.frames(in:)).filter { frames.facing[$0] }
        if !movements.isEmpty && !restFrames.isEmpty {
            for zone in FaceZone.allCases {
                let m = zoneMeasure[zone]!
                let r = median(frames.series(m, .right), restFrames), l = median(frames.series(m, .left), restFrames)
                let low = min(abs(r), abs(l)), high = max(abs(r), abs(l))
                resting.append(ExamResult.RestingSymmetry(zone: zone, measure: m.rawValue, value: .init(right: r, left: l), difference: l - r,
                                                          symmetry: high > 0 ? 100 * low / high : .nan,
                                                          lowerSide: r == l || !r.isFinite || !l.isFinite ? nil : (r < l ? "right" : "left")))
            }
        }
        return ExamResult(video: video, timeline: timeline, movements: movements, restingSymmetry: resting, warnings: warnings,
                          noMovement: movements.isEmpty ? reason : nil)
    }

    private static func movement(_ segment: ActionSegment, occurrence: Int, frames: ExamFrames, restFrames: [Int], restFrom: String,
                                 flags: inout [String]) -> ExamResult.Movement {
        let inside = frames.frames(in: segment)
        let candidates = inside.filter { frames.facing[$0] }
        let turned = inside.filter { frames.usable[$0] && !frames.facing[$0] }.count
        if turned > 0 {
            flags.append("\(turned) frame\(turned == 1 ? "" : "s") with the head turned beyond ±\(Int(ExamFrames.yawLimit))° yaw or ±\(Int(ExamFrames.pitchLimit))° pitch left out")
        }
        let zone = segment.action.key?.zone ?? segment.zone ?? .mouth
        let keyMeasure = segment.action.key?.measure ?? zoneMeasure[zone]!
        let rest = Dictionary(uniqueKeysWithValues: Hemiface.allCases.map { ($0, median(frames.series(keyMeasure, $0), restFrames)) })
        // A movement found without a code moves whichever way its zone moved most.
        let direction = segment.action.key?.direction ?? {
            let extreme = Hemiface.allCases.flatMap { s in candidates.map { frames.series(keyMeasure, s)[$0] - rest[s]! } }
                .filter(\.isFinite).max { abs($0) < abs($1) } ?? 1
            return extreme < 0 ? -1 : 1
        }()
        func along(_ side: Hemiface, _ i: Int) -> Double { direction * (frames.series(keyMeasure, side)[i] - rest[side]!) }
        var peak: [Int] = []
        var lead: Hemiface?
        let best = Hemiface.allCases.compactMap { side -> (Hemiface, Int, Double)? in
            candidates.filter { along(side, $0).isFinite }.max { along(side, $0) < along(side, $1) }.map { (side, $0, along(side, $0)) }
        }.max { $0.2 < $1.2 }
        if let (side, at, extreme) = best {
            lead = side
            if extreme > 0 {
                peak = candidates.filter { along(side, $0) >= (1 - peakWithin) * extreme }
            } else {
                flags.append("the \(keyMeasure.rawValue) did not move in the movement's direction on either side")
            }
            if peak.count < peakFrames {
                if extreme > 0 { flags.append("peak of a single frame: fewer than \(peakFrames) frames within \(Int(peakWithin * 100)) % of the extreme") }
                peak = [at]
            }
        } else {
            flags.append(inside.isEmpty ? "no frame in the segment" : "no frame of the segment with a measured face facing the camera")
        }
        var items: [ExamResult.Item] = []
        for measure in FacialMeasure.allCases {
            let floor = smallestMovement(measure)
            items.append(item(zone: measure.zone, name: measure.rawValue, kind: .measure, unit: measure.isAngle ? "degrees" : "intercanthal",
                              right: frames.series(measure, .right), left: frames.series(measure, .left), rest: restFrames, peak: peak,
                              direction: measure == keyMeasure ? direction : nil, floor: floor, featuresOnPeaks: false))
        }
        for zoneUnits in AUAsymmetry.zones(of: frames.actionUnits) {
            for unit in zoneUnits.units {
                guard let r = frames.series(unit: unit, .right), let l = frames.series(unit: unit, .left) else { continue }
                items.append(item(zone: zoneUnits.zone, name: unit, kind: .actionUnit, unit: "intensity", right: r, left: l, rest: restFrames,
                                  peak: peak, direction: 1, floor: smallestIntensity, featuresOnPeaks: true))
            }
        }
        let zones = FaceZone.allCases.map { z -> ExamResult.ZoneSymmetry in
            let m = z == zone ? keyMeasure : zoneMeasure[z]!
            let it = items.first { $0.kind == .measure && $0.name == m.rawValue }!
            return ExamResult.ZoneSymmetry(zone: z, measure: m.rawValue, symmetry: it.symmetry, weakerSide: it.weakerSide)
        }
        var synkinesis: [ExamResult.Synkinesis] = []
        func moved(_ m: FacialMeasure) -> ExamResult.Sides { items.first { $0.kind == .measure && $0.name == m.rawValue }!.movement }
        if segment.action.isEyeMovement {
            let h = moved(.commissureHeight), e = moved(.commissureExcursion)
            let value = ExamResult.Sides(right: hypot(h.right, e.right), left: hypot(h.left, e.left))
            synkinesis.append(.init(kind: "mouth during eye movement", value: value, unit: "intercanthal",
                                    flagged: flagged(value, threshold: mouthDisplacement) { $0 >= mouthBeyondOther * $1 }))
        }
        if segment.action.isMouthMovement {
            let rest = items.first { $0.name == FacialMeasure.eyeOpening.rawValue }!.rest, open = moved(.eyeOpening)
            let value = ExamResult.Sides(right: -100 * open.right / rest.right, left: -100 * open.left / rest.left)
            synkinesis.append(.init(kind: "eye during mouth movement", value: value, unit: "% of the rest opening",
                                    flagged: flagged(value, threshold: eyeNarrowing) { $0 >= $1 + eyeBeyondOther }))
        }
        let indices = peak.map { frames.indices[$0] }
        // The stills: the peak's extreme frame, and the rest frame whose key measure is nearest the rest value on both sides.
        let typicalRest = restFrames.min { a, b in
            func off(_ i: Int) -> Double {
                let d = Hemiface.allCases.map { abs(frames.series(keyMeasure, $0)[i] - rest[$0]!) }.reduce(0, +)
                return d.isFinite ? d : .infinity
            }
            return off(a) < off(b)
        }
        return ExamResult.Movement(action: segment.action, name: segment.action.name, occurrence: occurrence, start: segment.start, end: segment.end,
                                   source: segment.source, confidence: segment.confidence, zone: zone, restFrom: restFrom, restFrames: restFrames.count,
                                   peakFirstFrame: indices.min(), peakLastFrame: indices.max(), peakFrames: peak.count,
                                   leadingSide: lead?.rawValue, restStillFrame: typicalRest.map { frames.indices[$0] },
                                   peakStillFrame: best.map { frames.indices[$0.1] }, flags: flags, zones: zones, items: items, synkinesis: synkinesis)
    }

    /// The sides whose value reaches `threshold` and stands `beyond` the other side's.
    private static func flagged(_ v: ExamResult.Sides, threshold: Double, beyond: (Double, Double) -> Bool) -> [String] {
        var sides: [String] = []
        if v.right >= threshold && beyond(v.right, v.left) { sides.append("right") }
        if v.left >= threshold && beyond(v.left, v.right) { sides.append("left") }
        return sides
    }

    private static func item(zone: FaceZone, name: String, kind: ExamResult.Item.Kind, unit: String, right: [Double], left: [Double],
                             rest: [Int], peak: [Int], direction: Double?, floor: Double, featuresOnPeaks: Bool) -> ExamResult.Item {
        let restValue = ExamResult.Sides(right: median(right, rest), left: median(left, rest))
        let peakValue = ExamResult.Sides(right: median(right, peak), left: median(left, peak))
        let move = ExamResult.Sides(right: peakValue.right - restValue.right, left: peakValue.left - restValue.left)
        let (symmetry, weaker) = movementSymmetry(move, direction: direction, floor: floor)
        let a = featuresOnPeaks ? peakValue.left : abs(move.left), b = featuresOnPeaks ? peakValue.right : abs(move.right)
        return ExamResult.Item(zone: zone, name: name, kind: kind, unit: unit, rest: restValue, peak: peakValue, movement: move,
                               symmetry: symmetry, weakerSide: weaker,
                               difference: featuresOnPeaks ? peakValue.left - peakValue.right : move.left - move.right,
                               ratio: ratio(a, b), percentDifference: percentDifference(a, b))
    }

    /// Weaker ÷ stronger movement × 100 along `direction` (that of the side that moved more when nil),
    /// and the weaker side; NaN and nil when neither side moved `floor` or more.
    public static func movementSymmetry(_ m: ExamResult.Sides, direction: Double?, floor: Double) -> (Double, String?) {
        guard m.right.isFinite, m.left.isFinite else { return (.nan, nil) }
        let dir = direction ?? ((abs(m.right) >= abs(m.left) ? m.right : m.left) < 0 ? -1 : 1)
        let r = dir * m.right, l = dir * m.left
        let stronger = max(r, l)
        guard stronger >= floor else { return (.nan, nil) }
        return (100 * max(0, min(r, l)) / stronger, r < l ? "right" : "left")
    }

    /// Smaller ÷ larger, 0…1 (1 when both are about 0, 0 when only one is), as the upstream analysis.
    public static func ratio(_ a: Double, _ b: Double) -> Double {
        guard a.isFinite, b.isFinite else { return .nan }
        let lo = min(a, b), hi = max(a, b), tiny = 1e-4
        if hi <= tiny { return 1 }
        if lo <= tiny { return 0 }
        return min(1, lo / hi)
    }

    /// |a − b| ÷ their mean × 100, capped at 200 (0 when the mean is about 0), as the upstream analysis.
    public static func percentDifference(_ a: Double, _ b: Double) -> Double {
        guard a.isFinite, b.isFinite else { return .nan }
        let mean = (a + b) / 2
        guard mean > 1e-4 else { return 0 }
        return min(200, 100 * abs(a - b) / mean)
    }

    /// The median of `series` over `frames` (NaN values left out; NaN when none is left).
    static func median(_ series: [Double], _ frames: [Int]) -> Double {
        Statistics.percentile(frames.map { series[$0] }.filter(\.isFinite), 50)
    }

    /// The second of the video in which the measures change least, among stretches of frames facing
    /// the camera (the whole stretch when none lasts a second). One pass with running sums.
    static func quietestSecond(_ frames: ExamFrames) -> [Int] {
        let n = frames.count
        let all = FacialMeasure.allCases.filter { !$0.isAngle }.flatMap { m in Hemiface.allCases.map { frames.series(m, $0) } }
        // change[i]: how much frame i differs from frame i − 1; nil where either is not facing.
        let change: [Double?] = (0..<n).map { i in
            guard i > 0, frames.facing[i], frames.facing[i - 1] else { return nil }
            return all.map { abs($0[i] - $0[i - 1]) }.filter(\.isFinite).reduce(0, +)
        }
        var best: (score: Double, first: Int, last: Int)?
        var start = 0, sum = 0.0
        for end in 0..<n {
            guard frames.facing[end] else { start = end + 1; sum = 0; continue }
            if end > start, let c = change[end] { sum += c }
            while start < end, frames.times[end] - frames.times[start] >= 1 - 1e-9 {
                if let c = change[start + 1] { sum -= c }
                start += 1
            }
            let span = end - start
            guard span > 0 else { continue }
            let score = sum / Double(span)
            // A full second beats any shorter stretch; among equals, the quieter.
            let full = frames.times[end] - frames.times[start] + (end + 1 < n ? frames.times[end + 1] - frames.times[end] : 0) >= 1 - 1e-6
            let candidate = (score: full ? score : score + 1e6, first: start, last: end)
            if best == nil || candidate.score < best!.score { best = candidate }
        }
        guard let best else { return frames.times.indices.filter { frames.facing[$0] } }
        return Array(best.first...best.last)
    }
}
