import FaceMirrorCore
import Foundation

/// Action-unit asymmetry from the two hemiface AU tables: per AU and frame left − right (the left
/// hemiface is the patient's left side mirrored), per zone the mean of its AUs' differences, and per
/// video the mean, the 95th percentile of |left − right| and the share of frames where one side is
/// active (intensity ≥ 1) and the other not. Only the AUs the model gives are used.
public enum AUAsymmetry {
    /// The AUs of each zone (FACS), as far as any model gives them.
    public static let zones: [(zone: FaceZone, units: [String])] = [
        (.brow, ["AU01", "AU02", "AU04"]),
        (.eye, ["AU05", "AU06", "AU07", "AU45"]),
        (.midface, ["AU09", "AU10"]),
        (.mouth, ["AU12", "AU14", "AU15", "AU17", "AU20", "AU23", "AU25", "AU26"]),
    ]

    /// An AU counts as active from this intensity on (the `_c` columns' threshold).
    public static let activeFrom = 1.0

    /// One frame's intensities per AU, (right, left); NaN where a hemiface has none.
    public typealias Frame = [String: (right: Double, left: Double)]

    /// The zones with at least one of `units`, each with the units it has.
    public static func zones(of units: [String]) -> [(zone: FaceZone, units: [String])] {
        zones.compactMap { z in
            let have = z.units.filter(units.contains)
            return have.isEmpty ? nil : (z.zone, have)
        }
    }

    /// Mean left − right over a zone's units present on the frame (NaN when none is).
    public static func zoneDifference(_ frame: Frame, units: [String]) -> Double {
        let d = units.compactMap { u -> Double? in
            guard let v = frame[u], v.left.isFinite, v.right.isFinite else { return nil }
            return v.left - v.right
        }
        return d.isEmpty ? .nan : d.reduce(0, +) / Double(d.count)
    }

    /// Per video, for one AU or zone.
    public struct Summary: Codable, Sendable, Equatable {
        public let name: String
        /// Mean of left − right.
        public let meanDifference: Double
        /// 95th percentile of |left − right|.
        public let p95AbsoluteDifference: Double
        /// Share of the measured frames where one side is active and the other not (for a zone: in any of its AUs).
        public let oneSidedActive: Double
        public let framesMeasured: Int
        /// Each hemiface's mean intensity (for a zone: of its AUs); absent in summaries written before.
        public var meanRight: Double?
        public var meanLeft: Double?
    }

    public static func summaries(_ frames: [Frame], units: [String]) -> (units: [Summary], zones: [Summary]) {
        func summary(_ name: String, _ members: [String]) -> Summary {
            var diffs: [Double] = [], rights: [Double] = [], lefts: [Double] = [], oneSided = 0
            for f in frames {
                let pairs = members.compactMap { f[$0] }.filter { $0.left.isFinite && $0.right.isFinite }
                guard !pairs.isEmpty else { continue }
                diffs.append(pairs.map { $0.left - $0.right }.reduce(0, +) / Double(pairs.count))
                rights.append(pairs.map(\.right).reduce(0, +) / Double(pairs.count))
                lefts.append(pairs.map(\.left).reduce(0, +) / Double(pairs.count))
                if pairs.contains(where: { ($0.left >= activeFrom) != ($0.right >= activeFrom) }) { oneSided += 1 }
            }
            return Summary(name: name, meanDifference: diffs.isEmpty ? .nan : diffs.reduce(0, +) / Double(diffs.count),
                           p95AbsoluteDifference: Statistics.percentile(diffs.map(abs), 95),
                           oneSidedActive: diffs.isEmpty ? .nan : Double(oneSided) / Double(diffs.count), framesMeasured: diffs.count,
                           meanRight: rights.isEmpty ? .nan : rights.reduce(0, +) / Double(rights.count),
                           meanLeft: lefts.isEmpty ? .nan : lefts.reduce(0, +) / Double(lefts.count))
        }
        return (units.map { summary($0, [$0]) }, zones(of: units).map { summary($0.zone.rawValue, $0.units) })
    }
}
