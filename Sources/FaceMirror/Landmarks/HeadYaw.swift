import FaceMirrorCore
import Foundation

/// Head yaw from the left/right asymmetry of symmetric landmark pairs about the nose tip.
///
/// For a pair at half-width w and depth d behind the nose tip, turning the head by θ moves the nose
/// tip towards one point of the pair: (dL − dR) / (dL + dR) = d/w · tan θ, where dL and dR are the
/// distances of the two points from the nose tip measured across the midline. Each pair gives one
/// estimate; the median of them is reported. Positive yaw: the nose points to image-right.
public enum HeadYaw {
    public static func degrees(_ lm: FaceLandmarks) -> Double {
        let line = lm.midline
        let n = line.normal
        guard n.x.isFinite, n.y.isFinite else { return .nan }
        let nose = lm[lm.layout.noseTip]
        var estimates: [Double] = []
        for pair in lm.layout.yawPairs {
            let l = lm[pair.imageLeft], r = lm[pair.imageRight]
            let dl = n.x * (nose.x - l.x) + n.y * (nose.y - l.y)
            let dr = n.x * (r.x - nose.x) + n.y * (r.y - nose.y)
            guard dl + dr > 1e-6 else { continue }
            let ratio = (dl - dr) / (dl + dr)
            estimates.append(atan(ratio * pair.halfWidth / pair.depthBehindNoseTip) * 180 / .pi)
        }
        guard !estimates.isEmpty else { return .nan }
        estimates.sort()
        let m = estimates.count / 2
        return estimates.count % 2 == 1 ? estimates[m] : (estimates[m - 1] + estimates[m]) / 2
    }

    public enum Quality: String, Sendable {
        case good, acceptable, poor
    }

    /// |yaw| ≤ 3° good, ≤ 5° acceptable, else poor.
    public static func quality(_ yaw: Double) -> Quality {
        let a = abs(yaw)
        if a <= 3 { return .good }
        if a <= 5 { return .acceptable }
        return .poor
    }
}
