import Foundation

/// The columns of `<stem>_asymmetry.csv`, one row per frame: frame, timestamp, success, the scale,
/// then per measure each side in pixels (degrees for the smile angle), each side as a fraction of the
/// intercanthal distance, in millimetres with `--mm-per-px`, left − right and the symmetric index;
/// then each zone's index and the overall index. NaN where a frame has no face.
public enum AsymmetryTable {
    public static func header(millimetres: Bool) -> [String] {
        var h = ["frame", "timestamp", "success", "intercanthal_px"]
        for m in FacialMeasure.allCases {
            let name = m.rawValue
            if m.isAngle {
                h += ["\(name)_right_deg", "\(name)_left_deg", "\(name)_diff_deg"]
                continue
            }
            h += ["\(name)_right_px", "\(name)_left_px", "\(name)_right", "\(name)_left"]
            if millimetres { h += ["\(name)_right_mm", "\(name)_left_mm"] }
            h += ["\(name)_diff", "\(name)_index"]
        }
        return h + FaceZone.allCases.map { "\($0.rawValue)_index" } + ["overall_index"]
    }

    /// One frame's values in header order (numbers; NaN where there is no face).
    public static func values(_ m: FrameMeasures?, mmPerPx: Double?) -> [Double] {
        var v: [Double] = [m?.intercanthal ?? .nan]
        for (i, measure) in FacialMeasure.allCases.enumerated() {
            let r = m?.right[i] ?? .nan, l = m?.left[i] ?? .nan
            if measure.isAngle {
                v += [r, l, m?.difference(measure) ?? .nan]
                continue
            }
            v += [r, l, m?.normalised(r, measure) ?? .nan, m?.normalised(l, measure) ?? .nan]
            if let mmPerPx { v += [r * mmPerPx, l * mmPerPx] }
            v += [m?.difference(measure) ?? .nan, m?.index(measure) ?? .nan]
        }
        v += FaceZone.allCases.map { m?.zoneIndex($0) ?? .nan }
        return v + [m?.overallIndex ?? .nan]
    }

    /// With AUs: per AU each hemiface's intensity and left − right, then each zone's mean difference.
    public static func auHeader(_ units: [String]) -> [String] {
        units.flatMap { ["\($0)_right", "\($0)_left", "\($0)_diff"] } + AUAsymmetry.zones(of: units).map { "\($0.zone.rawValue)_au_diff" }
    }

    public static func auValues(_ frame: AUAsymmetry.Frame, units: [String]) -> [Double] {
        var v: [Double] = []
        for u in units {
            let pair = frame[u] ?? (.nan, .nan)
            v += [pair.right, pair.left, pair.left - pair.right]
        }
        return v + AUAsymmetry.zones(of: units).map { AUAsymmetry.zoneDifference(frame, units: $0.units) }
    }
}
