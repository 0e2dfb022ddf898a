import Foundation

/// One face's OpenFace 2 AU intensities over a video, as OpenFace 2.2's FeatureExtraction computes them
/// offline (`FaceAnalyser::AddNextFrame`, then `ExtractAllPredictionsOfflineReg`):
///
/// * the running medians of FHOG (1000 bins over [−0.005, 1], clamped ≥ 0) and geometry (10 000 bins over
///   [−60, 60]) count every second frame (even frame indices) with a face; dynamic models subtract them;
/// * the first 3000 frames with a face are predicted again with the video's final median; later ones keep
///   the prediction made with the median of their time (OpenFace's limit);
/// * each dynamic AU is shifted down by its value at the `cutoff` share of the sorted predictions (the
///   person's neutral level), then every AU is clipped to [0, 5] and smoothed over 3 frames, the first and
///   last frame left as they are.
///
/// Frames without a face give NaN (OpenFace writes 0), and smoothing averages only the frames with a face.
/// Per frame only the regressors' dot products with the features are kept (17 numbers: the predictions are
/// linear in the median), not the features: memory is the two histograms (~27 MB) plus 17 × 8 bytes a frame.
public struct OpenFace2AUTrack: Sendable {
    public static let storedFrameLimit = 3000

    private let regressors: [LinearSVR]
    private var hogMedian = HistogramMedian(dimensions: AUFeatures.hogCount, bins: 1000, minimum: -0.005, maximum: 1.0)
    private var geometryMedian = HistogramMedian(dimensions: AUFeatures.geometryCount, bins: 10000, minimum: -60, maximum: 60)
    private enum Entry: Sendable {
        case noFace
        /// x · weights per AU, re-predicted with the final median.
        case stored([Double])
        /// The prediction made at the time (beyond the stored-frame limit).
        case online([Double])
    }
    private var entries: [Entry] = []
    private var storedCount = 0
    private let storedLimit: Int

    public init(models: OpenFace2Models, storedFrameLimit: Int = Self.storedFrameLimit) {
        regressors = models.regressors
        storedLimit = storedFrameLimit
    }

    public var frameCount: Int { entries.count }

    /// The next frame's features, or nil when the frame has no face.
    public mutating func add(_ features: AUFeatures?) {
        let index = entries.count
        // OpenFace recomputes the medians on even frame indices only, counting the frame if it has a face;
        // a frame without a face contributes a black face's FHOG and zero geometry where a value is needed.
        if index % 2 == 0 {
            let hog = features?.hog ?? [Float](repeating: 0, count: AUFeatures.hogCount)
            let geometry = features?.geometry ?? [Float](repeating: 0, count: AUFeatures.geometryCount)
            hogMedian.update(hog, count: features != nil)
            geometryMedian.update(geometry, count: features != nil)
        }
        guard let features else {
            entries.append(.noFace)
            return
        }
        let dots = regressors.map { Self.dot($0.weights, features) }
        if storedCount < storedLimit {
            storedCount += 1
            entries.append(.stored(dots))
        } else {
            let median = currentMedian()
            entries.append(.online(zip(regressors, dots).map { r, d in d + r.offset(median: r.isDynamic ? median : nil) }))
        }
    }

    /// FHOG median (clamped at 0, as OpenFace does) followed by the geometry median.
    private mutating func currentMedian() -> [Double] { hogMedian.median().map { max(0, $0) } + geometryMedian.median() }

    private static func dot(_ w: [Double], _ f: AUFeatures) -> Double {
        var sum = 0.0
        f.hog.withUnsafeBufferPointer { h in
            w.withUnsafeBufferPointer { wp in
                for i in 0..<h.count { sum += Double(h[i]) * wp[i] }
                let base = h.count
                f.geometry.withUnsafeBufferPointer { g in for i in 0..<g.count { sum += Double(g[i]) * wp[base + i] } }
            }
        }
        return sum
    }

    /// Raw (unclipped, unshifted) predictions per frame and AU with the final median; NaN without a face.
    public func rawPredictions() -> [[Double]] {
        var copy = self
        let median = copy.currentMedian()
        let offsets = regressors.map { $0.offset(median: $0.isDynamic ? median : nil) }
        return entries.map { entry in
            switch entry {
            case .noFace: return [Double](repeating: .nan, count: regressors.count)
            case .stored(let dots): return zip(dots, offsets).map { $0 + $1 }
            case .online(let values): return values
            }
        }
    }

    /// The final intensities, frame by frame, in `OpenFace2Models.actionUnits` order. `neutralFrames`:
    /// frames known to show the person's neutral face (the exam's rest); when some of them have a face,
    /// each dynamic AU is shifted down by its median raw prediction over them instead of by its value at
    /// OpenFace's cutoff share of all frames, so that rest, not the most frequent face, reads as zero.
    public func finish(neutralFrames: [Int]? = nil) -> [[Double]] {
        var values = rawPredictions()
        let faces = entries.indices.filter { if case .noFace = entries[$0] { return false } else { return true } }
        let faceSet = Set(faces)
        let neutral = (neutralFrames ?? []).filter(faceSet.contains)
        for (a, regressor) in regressors.enumerated() {
            var shift = 0.0
            if case .dynamic(let cutoff) = regressor.kind, !faces.isEmpty {
                if !neutral.isEmpty {
                    let sorted = neutral.map { values[$0][a] }.sorted()
                    let m = sorted.count / 2
                    shift = sorted.count % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2
                } else {
                    let sorted = faces.map { values[$0][a] }.sorted()
                    shift = sorted[min(sorted.count - 1, Int(Double(sorted.count) * cutoff))]
                }
            }
            for f in faces { values[f][a] = min(5, max(0, values[f][a] - shift)) }
        }
        // 3-frame moving average over frames with a face; the first and last frame unchanged.
        var smoothed = values
        if values.count >= 3 {
            for f in 1..<(values.count - 1) where !values[f][0].isNaN {
                for a in 0..<regressors.count {
                    let window = [values[f - 1][a], values[f][a], values[f + 1][a]].filter { !$0.isNaN }
                    smoothed[f][a] = window.reduce(0, +) / Double(window.count)
                }
            }
        }
        return smoothed
    }
}
