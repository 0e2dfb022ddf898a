import FaceModels
import FaceMirrorCore
import Foundation
import OrtBinding

/// Latency of one model through the Swift binding, and the binding's overhead measured against ONNX
/// Runtime's own time (its profiler's `model_run` events). The profiler costs time per node (≈ 8 ms
/// per run for the 1 000-node int8 STAR here, 20 %), so the latency comes from a session without it
/// and the overhead from a few extra runs of a second, profiled session.
public struct ModelBenchmark: Sendable, Codable {
    public let model: String
    public let inputShape: [Int]
    public let threads: Int
    public let runs: Int
    /// Wall time of `InferenceSession.run` per call, ms: median, 10th and 90th percentile.
    public let medianMs: Double
    public let p10Ms: Double
    public let p90Ms: Double
    /// In the profiled runs: ONNX Runtime's own time per run and the binding's wall time, median ms.
    public let ortMedianMs: Double
    public let profiledMedianMs: Double
    /// Multiply-accumulates of one run (Conv, ConvTranspose, Gemm, MatMul, Einsum), when countable.
    public let macs: Int?

    /// (Swift − ORT) / ORT in the profiled runs, in percent.
    public var overheadPercent: Double { ortMedianMs > 0 ? 100 * (profiledMedianMs - ortMedianMs) / ortMedianMs : .nan }
    /// Profiled runs per model, after the timed ones.
    static let profiledRuns = 10
    /// Multiply-accumulates per second at the median latency, in billions.
    public var gmacsPerSecond: Double? { macs.map { Double($0) / 1e9 / (medianMs / 1000) } }

    /// Concrete input shape: the model's, with dynamic dimensions taken from `override` (or 1 for the
    /// first, 640 for the others).
    public static func inputShape(_ info: TensorInfo, override: [Int]?) throws -> [Int] {
        if let override {
            guard override.count == info.shape.count,
                  zip(info.shape, override).allSatisfy({ $0 < 0 || Int($0) == $1 }) else {
                throw ModelError.invalid(path: info.name, reason: "shape \(override) does not fit \(info)")
            }
            return override
        }
        return info.shape.enumerated().map { i, d in d >= 0 ? Int(d) : (i == 0 ? 1 : 640) }
    }

    /// One model loaded for timing: a plain session, a profiled one, and fixed inputs.
    final class Subject {
        let path: String
        let session: InferenceSession
        let profiled: InferenceSession
        let feeds: [String: Tensor]
        let shape: [Int]
        var times: [Double] = []
        var profiledTimes: [Double] = []
        private var trace: String?

        init(path: String, options base: SessionOptions, shape override: [Int]?, workDirectory: URL) throws {
            self.path = path
            session = try InferenceSession(modelPath: path, options: base)
            var options = base
            options.profilingPrefix = workDirectory.appendingPathComponent("bench_profile_\(UUID().uuidString)").path
            let p = try InferenceSession(modelPath: path, options: options)
            profiled = p
            var feeds: [String: Tensor] = [:]
            var first: [Int] = []
            var seed: UInt64 = 0x9E3779B97F4A7C15
            do {
                for (i, info) in session.inputs.enumerated() {
                    let s = try ModelBenchmark.inputShape(info, override: i == 0 ? override : nil)
                    if i == 0 { first = s }
                    // Deterministic values in [-1, 1].
                    let values = (0..<s.reduce(1, *)).map { _ -> Float in
                        seed = seed &* 6364136223846793005 &+ 1442695040888963407
                        return Float(seed >> 40) / Float(1 << 23) - 1
                    }
                    feeds[info.name] = Tensor(shape: s, values: values)
                }
            } catch {
                if let t = try? p.endProfiling() { try? FileManager.default.removeItem(atPath: t) }
                throw error
            }
            self.feeds = feeds
            shape = first
        }

        deinit { removeProfile() }

        func run(timed: Bool) throws {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try session.run(feeds)
            if timed { times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6) }
        }

        /// Runs of the profiled session (an untimed one before the first), for the binding's overhead.
        func runProfiled(_ count: Int) throws {
            if profiledTimes.isEmpty { _ = try profiled.run(feeds) }
            for _ in 0..<count {
                let start = DispatchTime.now().uptimeNanoseconds
                _ = try profiled.run(feeds)
                profiledTimes.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            }
        }

        /// ORT's own durations of the profiled runs (the last `profiledTimes.count` model runs).
        func ortTimes() throws -> [Double] {
            let path = try profiled.endProfiling()
            trace = path
            return Array(try ModelBenchmark.modelRunTimes(trace: path).suffix(profiledTimes.count))
        }

        private func removeProfile() {
            if trace == nil { trace = try? profiled.endProfiling() }
            if let trace { try? FileManager.default.removeItem(atPath: trace) }
        }

        func result(workDirectory: URL) throws -> ModelBenchmark {
            if profiledTimes.isEmpty { try runProfiled(min(times.count, ModelBenchmark.profiledRuns)) }
            let ort = try ortTimes()
            let name = session.inputs.first?.name ?? ""
            let macs = try? ModelAnalysis.countMACs(ONNXFile(path: path), inputShapes: [name: shape], workDirectory: workDirectory).total
            return ModelBenchmark(model: path, inputShape: shape, threads: session.options.intraOpThreads, runs: times.count,
                                  medianMs: Statistics.percentile(times, 50), p10Ms: Statistics.percentile(times, 10), p90Ms: Statistics.percentile(times, 90),
                                  ortMedianMs: Statistics.percentile(ort, 50), profiledMedianMs: Statistics.percentile(profiledTimes, 50), macs: macs)
        }
    }

    public static func run(modelPath: String, options: SessionOptions = SessionOptions(), runs: Int, warmup: Int,
                           inputShape override: [Int]? = nil, workDirectory: URL) throws -> ModelBenchmark {
        let subject = try Subject(path: modelPath, options: options, shape: override, workDirectory: workDirectory)
        for _ in 0..<warmup { try subject.run(timed: false) }
        for _ in 0..<runs { try subject.run(timed: true) }
        return try subject.result(workDirectory: workDirectory)
    }

    /// A model against a baseline, runs alternating A, B, A, B … so both see the same machine state.
    public static func compare(modelPath: String, baselinePath: String, options: SessionOptions = SessionOptions(), runs: Int,
                               warmup: Int, inputShape override: [Int]? = nil,
                               workDirectory: URL) throws -> (model: ModelBenchmark, baseline: ModelBenchmark) {
        let a = try Subject(path: modelPath, options: options, shape: override, workDirectory: workDirectory)
        let b = try Subject(path: baselinePath, options: options, shape: override, workDirectory: workDirectory)
        for _ in 0..<warmup { try a.run(timed: false); try b.run(timed: false) }
        for _ in 0..<runs { try a.run(timed: true); try b.run(timed: true) }
        let profiled = min(runs, profiledRuns)
        for _ in 0..<profiled { try a.runProfiled(1); try b.runProfiled(1) }
        return (try a.result(workDirectory: workDirectory), try b.result(workDirectory: workDirectory))
    }

    /// Durations (ms) of the `model_run` events in an ORT profile, in order.
    static func modelRunTimes(trace: String) throws -> [Double] {
        let data = try Data(contentsOf: URL(fileURLWithPath: trace))
        guard let events = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] else { return [] }
        return events.filter { ($0["name"] as? String) == "model_run" }.compactMap { ($0["dur"] as? NSNumber)?.doubleValue }.map { $0 / 1000 }
    }
}
