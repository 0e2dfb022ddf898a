import FaceMirrorCore
import Foundation

/// Finds an exam's timeline from the measures of both sides when no one coded it: rest is each
/// signal's most frequent level (an exam returns to rest between movements), a bout is a stretch in
/// which some zone leaves its rest level by more than its threshold, and each bout is labelled with
/// the code whose zone pattern fits, with a confidence; a bout that fits none is `??` with its zone.
/// docs/method.md ("The exam") gives the thresholds and rules.
public struct MovementFinder: Sendable {
    /// A signal moves when it leaves its rest level by its smallest movement (`ExamAnalysis.smallestMovement`)
    /// or four times its frame-to-frame noise, whichever is larger.
    /// Bouts closer than this (seconds) are one; shorter ones are left out as noise.
    public static let joinGap = 0.15
    public static let shortestBout = 0.1
    /// An eye closure shorter than this (seconds) is a blink.
    public static let longestBlink = 0.5

    /// What was found: segments (rest and movements, in order) or why there are none.
    public struct Finding: Sendable {
        public var segments: [ActionSegment]
        /// Why no movement was found, when none was.
        public var noMovement: String?
    }

    /// The signals looked at, with their zone.
    public static let signals: [FacialMeasure] = [.browHeight, .eyeOpening, .alaHeight, .commissureHeight, .commissureExcursion, .lowerLipHeight]

    public init() {}

    public func find(_ frames: ExamFrames) -> Finding {
        let n = frames.count
        let usableCount = frames.usable.filter { $0 }.count
        guard usableCount >= 3 else {
            return Finding(segments: [], noMovement: "too few frames with a measured face (\(usableCount)) to find movements")
        }
        // Per signal and side: deviation from rest in units of the signal's threshold.
        var deviation: [FaceZone: [Double]] = [:]
        var signed: [FacialMeasure: [Double]] = [:]  // mean of both sides, in threshold units
        for measure in MovementFinder.signals {
            let zone = measure.zone, minimum = ExamAnalysis.smallestMovement(measure)
            var zoneDev = deviation[zone] ?? [Double](repeating: 0, count: n)
            var sum = [Double](repeating: 0, count: n), count = [Double](repeating: 0, count: n)
            for side in Hemiface.allCases {
                let v = MovementFinder.medianFiltered(frames.series(measure, side), width: 5)
                let rest = MovementFinder.mode(v)
                let unit = max(minimum, 4 * MovementFinder.noise(v))
                for i in 0..<n where v[i].isFinite {
                    let d = (v[i] - rest) / unit
                    zoneDev[i] = max(zoneDev[i], abs(d))
                    sum[i] += d
                    count[i] += 1
                }
            }
            deviation[zone] = zoneDev
            signed[measure] = zip(sum, count).map { $1 > 0 ? $0 / $1 : 0 }
        }
        let active = (0..<n).map { i in FaceZone.allCases.contains { (deviation[$0]?[i] ?? 0) >= 1 } }
        let bouts = MovementFinder.runs(active, times: frames.times)
        guard !bouts.isEmpty else {
            let largest = FaceZone.allCases.map { z in (z, deviation[z]?.max() ?? 0) }.max { $0.1 < $1.1 }!
            let reason = String(format: "no movement found: every zone stayed within its rest level ± its threshold (the largest excursion, in the %@ zone, was %.0f %% of it)",
                                largest.0.rawValue, 100 * largest.1)
            return Finding(segments: [ActionSegment(action: .rest, start: 0, end: frames.duration, source: .auto, confidence: 1)],
                           noMovement: reason)
        }
        var movements: [ActionSegment] = []
        for bout in bouts {
            // The zone that moved most, and the bout's edges where it crosses half its extreme.
            func extreme(_ z: FaceZone) -> Double { bout.map { deviation[z]?[$0] ?? 0 }.max() ?? 0 }
            let zone = FaceZone.allCases.max { extreme($0) < extreme($1) }!
            let dev = deviation[zone]!
            let peakIndex = bout.max { dev[$0] < dev[$1] }!
            let half = dev[peakIndex] / 2
            var first = peakIndex, last = peakIndex
            while first > 0, dev[first - 1] >= half { first -= 1 }
            while last < n - 1, dev[last + 1] >= half { last += 1 }
            let end = last + 1 < n ? frames.times[last + 1] : frames.duration
            let (action, confidence) = label(zone: zone, peak: peakIndex, deviation: deviation, signed: signed,
                                             frames: frames, duration: end - frames.times[first])
            var segment = ActionSegment(action: action, start: frames.times[first], end: end, source: .auto, confidence: confidence, zone: zone)
            // Bouts found apart can meet at half height: the later one starts where the earlier ends.
            if let previous = movements.last, segment.start < previous.end { segment.start = previous.end }
            if segment.end > segment.start { movements.append(segment) }
        }
        // Rest between the movements (and before the first, after the last).
        var segments: [ActionSegment] = []
        var cursor = 0.0
        for m in movements {
            if m.start - cursor >= MovementFinder.shortestBout {
                segments.append(ActionSegment(action: .rest, start: cursor, end: m.start, source: .auto,
                                              confidence: quietShare(from: cursor, to: m.start, frames: frames, active: active)))
            }
            segments.append(m)
            cursor = m.end
        }
        if frames.duration - cursor >= MovementFinder.shortestBout {
            segments.append(ActionSegment(action: .rest, start: cursor, end: frames.duration, source: .auto,
                                          confidence: quietShare(from: cursor, to: frames.duration, frames: frames, active: active)))
        }
        return Finding(segments: segments, noMovement: nil)
    }

    /// The code whose pattern fits the bout at its peak, and how clearly (0…1).
    private func label(zone: FaceZone, peak: Int, deviation: [FaceZone: [Double]], signed: [FacialMeasure: [Double]],
                       frames: ExamFrames, duration: Double) -> (ExamAction, Double) {
        func s(_ m: FacialMeasure) -> Double { signed[m]![peak] }
        func au(_ unit: String) -> Double {
            let v = Hemiface.allCases.compactMap { frames.series(unit: unit, $0)?[peak] }.filter(\.isFinite)
            return v.max() ?? .nan
        }
        // How far the zone stands above the next: 1 when it alone moved, 0 when another moved as much.
        let scores = FaceZone.allCases.map { deviation[$0]?[peak] ?? 0 }.sorted(by: >)
        let margin = scores[0] > 0 ? 1 - scores[1] / scores[0] : 0
        let strength = min(1, scores[0] / 2)
        var confidence = max(0.05, min(1, 0.5 * margin + 0.5 * strength))
        let action: ExamAction?
        switch zone {
        case .brow:
            action = s(.browHeight) > 0 ? .raiseEyebrows : .frown
        case .eye:
            if s(.eyeOpening) < 0 {
                if duration < MovementFinder.longestBlink {
                    action = .blink
                } else {
                    // Tight closure squeezes the brow down and the cheek up, or shows as AU07.
                    let squeeze = s(.browHeight) < -0.5 || s(.alaHeight) > 0.5 || au("AU07") >= 1.5
                    action = squeeze ? .closeEyesTightly : .closeEyesSoftly
                }
            } else {
                action = nil
            }
        case .midface:
            action = s(.alaHeight) > 0 ? .wrinkleNose : nil
        case .mouth:
            let up = s(.commissureHeight), wide = s(.commissureExcursion), lowerLip = s(.lowerLipHeight)
            let opens = lowerLip < -1 || au("AU25") >= 1.5
            if up >= 1 || au("AU12") >= 1.5 {
                action = up >= 3 || opens ? .bigSmile : .softSmile
            } else if wide <= -1 {
                action = opens ? .sayO : .puckerLips
            } else if wide >= 1 {
                action = .sayE
            } else if lowerLip <= -1 {
                action = .lowerTeeth
            } else {
                action = nil
            }
        }
        guard let action else { return (.unclear, confidence) }
        if action == .blink || action == .closeEyesSoftly || action == .closeEyesTightly || action == .softSmile || action == .bigSmile {
            // Grades of one movement (soft or tight, soft or big) are told apart less surely than movements.
            confidence = min(confidence, 0.8)
        }
        return (action, confidence)
    }

    /// The share of frames from `start` to `end` in which no zone moved.
    private func quietShare(from start: Double, to end: Double, frames: ExamFrames, active: [Bool]) -> Double {
        let inside = frames.times.indices.filter { frames.times[$0] >= start && frames.times[$0] < end }
        guard !inside.isEmpty else { return 0 }
        return Double(inside.filter { !active[$0] }.count) / Double(inside.count)
    }

    /// Stretches of active frames, joined across gaps up to `joinGap`, each at least `shortestBout` long.
    static func runs(_ active: [Bool], times: [Double]) -> [[Int]] {
        var runs: [[Int]] = []
        var current: [Int] = []
        for i in active.indices where active[i] {
            if let last = current.last, times[i] - times[last] > joinGap + 1e-9 {
                runs.append(current)
                current = []
            }
            current.append(i)
        }
        if !current.isEmpty { runs.append(current) }
        return runs.filter { r in
            let span = times[r.last!] - times[r.first!]
            return r.count >= 3 && span >= shortestBout - 1e-9
        }.map { Array($0.first!...$0.last!) }
    }

    /// A running median over `width` frames (NaN frames left out of each window; NaN where all are).
    static func medianFiltered(_ v: [Double], width: Int) -> [Double] {
        let h = width / 2
        return v.indices.map { i in
            guard v[i].isFinite else { return .nan }
            let window = v[max(0, i - h)...min(v.count - 1, i + h)].filter(\.isFinite)
            return Statistics.percentile(window, 50)
        }
    }

    /// The most frequent level of a signal: the centre of the densest window a tenth of its range wide
    /// (at least the noise), refined to the median of the values in it.
    static func mode(_ v: [Double]) -> Double {
        let x = v.filter(\.isFinite).sorted()
        guard let lo = x.first, let hi = x.last else { return .nan }
        let width = max((hi - lo) / 10, 2 * noise(v), 1e-6)
        var best = (count: 0, start: 0, end: 0)
        var j = 0
        for i in x.indices {
            while j < x.count, x[j] - x[i] <= width { j += 1 }
            if j - i > best.count { best = (j - i, i, j) }
        }
        return Statistics.percentile(Array(x[best.start..<best.end]), 50)
    }

    /// The frame-to-frame noise of a signal: the median absolute change between neighbours / √2,
    /// scaled to a standard deviation.
    static func noise(_ v: [Double]) -> Double {
        let d = zip(v, v.dropFirst()).map { abs($1 - $0) }.filter(\.isFinite)
        guard !d.isEmpty else { return 0 }
        return 1.4826 * Statistics.percentile(d, 50) / 2.0.squareRoot()
    }
}
