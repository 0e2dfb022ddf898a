import Foundation

/// Wall-clock time per pipeline stage (calls, total, min, max), safe to use from several threads.
public final class StageTimer: @unchecked Sendable {
    public struct Stats: Sendable, Equatable {
        public var calls = 0
        public var total = 0.0
        public var min = Double.infinity
        public var max = 0.0
        public var mean: Double { calls > 0 ? total / Double(calls) : 0 }
    }

    private let lock = NSLock()
    private var stats: [String: Stats] = [:]
    private var order: [String] = []

    public init() {}

    public func record(_ stage: String, seconds: Double) {
        lock.lock(); defer { lock.unlock() }
        if stats[stage] == nil { order.append(stage); stats[stage] = Stats() }
        stats[stage]!.calls += 1
        stats[stage]!.total += seconds
        stats[stage]!.min = Swift.min(stats[stage]!.min, seconds)
        stats[stage]!.max = Swift.max(stats[stage]!.max, seconds)
    }

    @discardableResult
    public func measure<T>(_ stage: String, _ body: () throws -> T) rethrows -> T {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { record(stage, seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9) }
        return try body()
    }

    /// Stages in the order they were first timed.
    public var snapshot: [(stage: String, stats: Stats)] {
        lock.lock(); defer { lock.unlock() }
        return order.map { ($0, stats[$0]!) }
    }
}
