import FaceMirrorCore

/// Weighted moving average of the last `window` landmark sets, weights rising linearly from 0.5
/// (oldest) to 1.0 (newest). Reset whenever the track restarts, so a new face is never blended with an old one.
public struct LandmarkSmoother: Sendable {
    public let window: Int
    private var history: [[Float]] = []

    public init(window: Int = 5) {
        precondition(window >= 1)
        self.window = window
    }

    public mutating func reset() { history.removeAll(keepingCapacity: true) }

    /// Adds this frame's landmarks and returns the smoothed set.
    public mutating func add(_ landmarks: FaceLandmarks) -> FaceLandmarks {
        if let first = history.first, first.count != landmarks.xy.count { history.removeAll() }
        history.append(landmarks.xy)
        if history.count > window { history.removeFirst(history.count - window) }
        let n = history.count
        if n == 1 { return landmarks }
        var out = [Double](repeating: 0, count: landmarks.xy.count)
        var total = 0.0
        for (i, xy) in history.enumerated() {
            let w = 0.5 + 0.5 * Double(i) / Double(n - 1)
            total += w
            for j in 0..<xy.count { out[j] += w * Double(xy[j]) }
        }
        return FaceLandmarks(layout: landmarks.layout, xy: out.map { Float($0 / total) })
    }
}
