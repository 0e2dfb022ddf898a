/// OpenFace 2's running median of a feature vector (`FaceAnalyser::UpdateRunningMedian`): each value
/// counted into one of `bins` equal bins over [min, max] (clamped to the end bins), the median taken as
/// the centre of the bin where the cumulative count first reaches (count + 1) / 2; while at most one
/// vector has been counted, the vector of the last call. Memory is fixed: dimensions × bins counters.
///
/// OpenFace recomputes the median on every call; here it is computed when asked for (the same value: the
/// histogram is the same), which spares a scan of all bins on every second frame.
struct HistogramMedian: Sendable {
    let dimensions: Int
    let bins: Int
    let minimum: Double
    let length: Double
    private var counts: [Int32] = []
    private(set) var updates = 0
    /// The vector OpenFace's median equals while fewer than two vectors are counted.
    private var early: [Double] = []
    private var cached: [Double]?

    init(dimensions: Int, bins: Int, minimum: Double, maximum: Double) {
        self.dimensions = dimensions
        self.bins = bins
        self.minimum = minimum
        length = abs(maximum - minimum)
    }

    /// One call of UpdateRunningMedian: counts `values` when `count` is true.
    mutating func update(_ values: [Float], count: Bool) {
        if counts.isEmpty {
            counts = [Int32](repeating: 0, count: dimensions * bins)
            early = values.map(Double.init)
        }
        if count {
            let scale = Double(bins) / length
            counts.withUnsafeMutableBufferPointer { c in
                for i in 0..<dimensions {
                    var converted = (Double(values[i]) - minimum) * scale
                    if converted > Double(bins - 1) { converted = Double(bins - 1) }
                    if converted < 0 { converted = 0 }
                    c[i * bins + Int(converted)] += 1
                }
            }
            updates += 1
            cached = nil
        }
        if updates == 1 { early = values.map(Double.init) }
    }

    /// The median now (zeros before any call).
    mutating func median() -> [Double] {
        if counts.isEmpty { return [Double](repeating: 0, count: dimensions) }
        if updates <= 1 { return early }
        if let cached { return cached }
        var median = [Double](repeating: 0, count: dimensions)
        let cutoff = Int32((updates + 1) / 2)
        let width = length / Double(bins), half = 0.5 * length / Double(bins)
        counts.withUnsafeBufferPointer { c in
            for i in 0..<dimensions {
                var sum: Int32 = 0
                for j in 0..<bins {
                    sum += c[i * bins + j]
                    if sum >= cutoff {
                        median[i] = minimum + Double(j) * width + half
                        break
                    }
                }
            }
        }
        cached = median
        return median
    }
}
