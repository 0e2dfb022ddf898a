import Foundation

/// Latency of one model through the Swift binding, beside ONNX Runtime's own time for the same
/// runs (its profiler's `model_run` events), so the binding's overhead is measured, not guessed.
public struct ModelBenchmark: Sendable, Codable {
    public let model: String
    public let inputShape: [Int]
    public let threads: Int
    public let runs: Int
    /// Wall time of `InferenceSession.run` per call, ms: median, 10th and 90th percentile.
    public let medianMs: Double
    public let p10Ms: Double
    public let p90Ms: Double
    /// ONNX Runtime's own time per run (profiler), median ms.
    public let ortMedianMs: Double
    /// (Swift − ORT) / ORT, in percent.
    public var overheadPercent: Double { ortMedianMs > 0 ? 100 * (medianMs - ortMedianMs) / ortMedianMs : .nan }

    enum CodingKeys: String, CodingKey { case model, inputShape, threads, runs, medianMs, p10Ms, p90Ms, ortMedianMs }

    /// Concrete input shape: the model's, with dynamic dimensions taken from `override` (or 1 for the
    /// first, 640 for the others).
    public static func inputShape(_ info: TensorInfo, override: [Int]?) throws -> [Int] {
        if let override {
            guard override.count == info.shape.count,
                  zip(info.shape, override).allSatisfy({ $0 < 0 || Int($0) == $1 }) else {
                throw FaceMirrorError.badModel(path: info.name, reason: "shape \(override) does not fit \(info)")
            }
            return override
        }
        return info.shape.enumerated().map { i, d in d >= 0 ? Int(d) : (i == 0 ? 1 : 640) }
    }

    public static func run(modelPath: String, threads: Int, runs: Int, warmup: Int, inputShape override: [Int]? = nil,
                           workDirectory: URL) throws -> ModelBenchmark {
        var options = SessionOptions()
        options.intraOpThreads = threads
        options.profilingPrefix = workDirectory.appendingPathComponent("bench_profile").path
        let session = try InferenceSession(modelPath: modelPath, options: options)
        // The profile is always ended and removed, also when a run fails.
        var trace: String?
        defer {
            if trace == nil { trace = try? session.endProfiling() }
            if let trace { try? FileManager.default.removeItem(atPath: trace) }
        }
        var feeds: [String: Tensor] = [:]
        var shape: [Int] = []
        var seed: UInt64 = 0x9E3779B97F4A7C15
        for (i, info) in session.inputs.enumerated() {
            let s = try inputShape(info, override: i == 0 ? override : nil)
            if i == 0 { shape = s }
            // Deterministic values in [-1, 1].
            let values = (0..<s.reduce(1, *)).map { _ -> Float in
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                return Float(seed >> 40) / Float(1 << 23) - 1
            }
            feeds[info.name] = Tensor(shape: s, values: values)
        }
        for _ in 0..<warmup { _ = try session.run(feeds) }
        var times: [Double] = []
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try session.run(feeds)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        let path = try session.endProfiling()
        trace = path
        let ort = try modelRunTimes(trace: path).suffix(runs)
        return ModelBenchmark(model: modelPath, inputShape: shape, threads: threads, runs: runs,
                              medianMs: percentile(times, 50), p10Ms: percentile(times, 10), p90Ms: percentile(times, 90),
                              ortMedianMs: percentile(Array(ort), 50))
    }

    /// Durations (ms) of the `model_run` events in an ORT profile, in order.
    static func modelRunTimes(trace: String) throws -> [Double] {
        let data = try Data(contentsOf: URL(fileURLWithPath: trace))
        guard let events = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] else { return [] }
        return events.filter { ($0["name"] as? String) == "model_run" }.compactMap { ($0["dur"] as? NSNumber)?.doubleValue }.map { $0 / 1000 }
    }

    public static func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        let s = values.sorted()
        let rank = p / 100 * Double(s.count - 1)
        let lo = Int(rank.rounded(.down)), hi = Int(rank.rounded(.up))
        return s[lo] + (s[hi] - s[lo]) * (rank - Double(lo))
    }
}
