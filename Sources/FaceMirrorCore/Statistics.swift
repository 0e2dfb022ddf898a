/// Summary figures shared by the pipeline's summaries, the benchmark and the CSV comparison.
public enum Statistics {
    /// The p-th percentile (0…100) with linear interpolation between ranks, as numpy's default; NaN when empty.
    public static func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        let s = values.sorted()
        let rank = p / 100 * Double(s.count - 1)
        let lo = Int(rank.rounded(.down)), hi = Int(rank.rounded(.up))
        return s[lo] + (s[hi] - s[lo]) * (rank - Double(lo))
    }
}
