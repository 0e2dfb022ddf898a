import FaceMirrorCore
import Foundation

/// AU45 (blink) from the eye aspect ratio of the landmarks.
///
/// EAR = mean of the lid-to-lid distances / corner-to-corner distance of one eye contour (corners
/// at contour positions 0 and n/2, lid pairs (k, n−k)). An open eye measures about 0.28–0.30, a
/// closed one under 0.10. AU45 = 5·(open − EAR)/(open − closed), clipped to 0…5, with
/// open = 0.28 and closed = 0.10, then averaged over the last 3 frames.
public struct BlinkEstimator: Sendable {
    public static let openEAR = 0.28
    public static let closedEAR = 0.10
    public let window: Int
    private var history: [Double] = []

    public init(window: Int = 3) { self.window = window }

    public static func eyeAspectRatio(_ lm: FaceLandmarks, eye: [Int]) -> Double {
        let n = eye.count
        guard n >= 6, n % 2 == 0 else { return .nan }
        func dist(_ a: Int, _ b: Int) -> Double {
            let p = lm[eye[a]], q = lm[eye[b]]
            return ((p.x - q.x) * (p.x - q.x) + (p.y - q.y) * (p.y - q.y)).squareRoot()
        }
        let width = dist(0, n / 2)
        guard width > 0 else { return .nan }
        let lids = (1..<(n / 2)).map { dist($0, n - $0) }
        return lids.reduce(0, +) / Double(lids.count) / width
    }

    /// Unsmoothed AU45 intensity for an eye aspect ratio.
    public static func intensity(ear: Double) -> Double {
        guard ear.isFinite else { return .nan }
        return min(5, max(0, 5 * (openEAR - ear) / (openEAR - closedEAR)))
    }

    public mutating func reset() { history.removeAll() }

    /// Adds this frame's eye and returns the smoothed AU45.
    public mutating func add(ear: Double) -> Double {
        let v = BlinkEstimator.intensity(ear: ear)
        guard v.isFinite else { return .nan }
        history.append(v)
        if history.count > window { history.removeFirst() }
        return history.reduce(0, +) / Double(history.count)
    }
}
