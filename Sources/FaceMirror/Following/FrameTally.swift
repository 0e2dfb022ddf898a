import Foundation

/// Frames counted by what became of them: each frame's status (detected, tracked, or why it has no
/// face) and the per-frame failures of sinks (a hemiface whose AUs could not be measured), in the
/// order first met. The summary line and the performance report list these counts.
public final class FrameTally: @unchecked Sendable {
    /// One count, as the report lists it.
    public struct Count: Sendable, Codable, Equatable {
        public let name: String
        public let frames: Int
        /// True for what went wrong (a frame without a usable face, a hemiface without AUs).
        public let failed: Bool
        /// True for a sink's own failure on a frame, false for the frame's status.
        public let output: Bool
    }

    private let lock = NSLock()
    private var order: [(name: String, failed: Bool, output: Bool)] = []
    private var counts: [String: Int] = [:]

    public init() {}

    /// One more frame with this status.
    public func count(_ status: FrameStatus) {
        let failed = if case .failed = status { true } else { false }
        add(status.description, failed: failed, output: false)
    }

    /// One more frame on which a sink could not write what it measures, for this reason.
    public func countOutputFailure(_ reason: String) {
        add(reason, failed: true, output: true)
    }

    private func add(_ name: String, failed: Bool, output: Bool) {
        lock.lock(); defer { lock.unlock() }
        if counts[name] == nil { order.append((name, failed, output)) }
        counts[name, default: 0] += 1
    }

    /// Frame statuses first, then the sinks' failures, each in the order first met.
    public var counted: [Count] {
        lock.lock(); defer { lock.unlock() }
        let all = order.map { Count(name: $0.name, frames: counts[$0.name] ?? 0, failed: $0.failed, output: $0.output) }
        return all.filter { !$0.output } + all.filter(\.output)
    }
}
