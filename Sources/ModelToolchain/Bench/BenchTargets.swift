import FaceMirrorCore
import Foundation

/// Must / should / stretch goals for benchmark figures, read from a JSON file:
/// `[{"figure": "star_wflw98_replica.onnx:median_ms", "must": 250, "should": 200, "stretch": 150}, …]`.
/// Figures: `<model file>:median_ms`, `<model file>:p90_ms`, `<model file>:gmacs_per_s`,
/// `<model file>:speedup` (with --baseline: baseline median / model median), `pipeline:fps`.
/// Figures ending in `_ms` are better when lower, the others when higher.
public struct BenchTarget: Codable, Sendable {
    public let figure: String
    public let must: Double?
    public let should: Double?
    public let stretch: Double?

    public var lowerIsBetter: Bool { figure.hasSuffix("_ms") }

    public init(figure: String, must: Double?, should: Double?, stretch: Double?) {
        self.figure = figure; self.must = must; self.should = should; self.stretch = stretch
    }

    public static func load(_ path: String) throws -> [BenchTarget] {
        do {
            return try JSONDecoder().decode([BenchTarget].self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw BenchError.unreadableTargets(path: path, reason: ErrorText.describe(error))
        }
    }

    /// The best level `value` reaches: "stretch", "should", "must", or nil when it misses "must".
    public func level(of value: Double) -> String? {
        func meets(_ goal: Double?) -> Bool { goal.map { lowerIsBetter ? value <= $0 : value >= $0 } ?? false }
        if meets(stretch) { return "stretch" }
        if meets(should) { return "should" }
        if meets(must) { return "must" }
        return nil
    }

    /// All figures a set of results provides, by the names targets use.
    public static func figures(_ results: [ModelBenchmark], baselines: [String: ModelBenchmark] = [:], pipelineFPS: Double? = nil) -> [String: Double] {
        var out: [String: Double] = [:]
        for r in results {
            let key = URL(fileURLWithPath: r.model).lastPathComponent
            out["\(key):median_ms"] = r.medianMs
            out["\(key):p90_ms"] = r.p90Ms
            if let g = r.gmacsPerSecond { out["\(key):gmacs_per_s"] = g }
            if let b = baselines[r.model] { out["\(key):speedup"] = b.medianMs / r.medianMs }
        }
        if let pipelineFPS { out["pipeline:fps"] = pipelineFPS }
        return out
    }
}
