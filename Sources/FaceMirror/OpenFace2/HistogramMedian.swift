/// OpenFace 2's running median of a feature vector (`FaceAnalyser::UpdateRunningMedian`): each value
/// counted into one of `bins` equal bins over [min, max] (clamped to the end bins), the median taken as
/// the centre of the bin where the cumulative count first reaches (count + 1) / 2. Memory is fixed:
/// dimensions × bins counters, however long the video.
struct HistogramMedian: Sendable {
    let dimensions: Int
    let bins: Int
    let minimum: Double
    let length: Double
    private var counts: [Int32]
    private(set) var updates = 0
    private(set) var median: [Double]
    private var started = false

    init(dimensions: Int, bins: Int, minimum: Double, maximum: Double) {
        self.dimensions = dimensions
        self.bins = bins
        self.minimum = minimum
        length = abs(maximum - minimum)
        counts = [Int32](repeating: 0, count: dimensions * bins)
        median = [Double](repeating: 0, count: dimensions)
    }

    /// One call of UpdateRunningMedian: counts `values` when `update`, then recomputes the median.
    mutating func update(_ values: [Float], count update: Bool) {
        if !started {
            started = true
            median = values.map(Double.init)
        }
        if update {
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
        }
        if updates == 1 {
            median = values.map(Double.init)
        } else {
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
        }
    }
}
