import FaceMirrorCore
import Foundation

/// Where the time went for one video: per stage and for the whole run.
public struct PerformanceReport: Sendable, Codable {
    public struct Stage: Sendable, Codable {
        public let name: String
        public let calls: Int
        public let totalSeconds: Double
        public let meanMs: Double
        public let minMs: Double
        public let maxMs: Double
        /// Share of the run's wall time. Stages may overlap when work runs in parallel.
        public let percentOfWall: Double
    }

    public let video: String
    public let frames: Int
    /// The provenance record written with this report (the run's options, models, input).
    public let provenance: String?
    /// Frames by what became of them (detected, tracked, each reason for having no face, sinks' failures).
    public let frameCounts: [FrameTally.Count]
    public let wallSeconds: Double
    public let fps: Double
    public let threads: Int
    /// Frames the face detector ran on (the rest were tracked from the frame before), and their share.
    public let detectorRuns: Int?
    public var detectorShare: Double? { detectorRuns.map { frames > 0 ? Double($0) / Double(frames) : 0 } }
    /// Of those, runs on a region around the last face instead of the whole frame.
    public var detectorRegionRuns: Int?
    public let stages: [Stage]

    public init(video: String, frames: Int, frameCounts: [FrameTally.Count] = [], wallSeconds: Double, threads: Int,
                timer: StageTimer, detectorRuns: Int? = nil, detectorRegionRuns: Int? = nil, provenance: String? = nil) {
        self.video = video
        self.frames = frames
        self.provenance = provenance
        self.frameCounts = frameCounts
        self.wallSeconds = wallSeconds
        self.threads = threads
        self.detectorRuns = detectorRuns
        self.detectorRegionRuns = detectorRegionRuns
        fps = wallSeconds > 0 ? Double(frames) / wallSeconds : 0
        stages = timer.snapshot.map { s in
            Stage(name: s.stage, calls: s.stats.calls, totalSeconds: s.stats.total, meanMs: s.stats.mean * 1000,
                  minMs: s.stats.calls > 0 ? s.stats.min * 1000 : 0, maxMs: s.stats.max * 1000,
                  percentOfWall: wallSeconds > 0 ? 100 * s.stats.total / wallSeconds : 0)
        }
    }

    /// The report as an aligned text table.
    public var text: String {
        var lines: [String] = []
        lines.append("facemirror performance report: \(video)")
        lines.append(String(format: "frames: %d   wall time: %.3f s   pipeline FPS: %.2f   threads: %d", frames, wallSeconds, fps, threads))
        if let detectorRuns, let share = detectorShare {
            let region = (detectorRegionRuns ?? 0) > 0 ? ", \(detectorRegionRuns!) of them on a region around the last face" : ""
            lines.append(String(format: "face detector ran on %d of %d frames (%.1f %%)", detectorRuns, frames, 100 * share) + region)
        }
        for (title, counts) in [("frames by status", frameCounts.filter { !$0.output }), ("not measured", frameCounts.filter(\.output))]
            where !counts.isEmpty {
            lines.append("\(title): " + counts.map { "\($0.name) \($0.frames)" }.joined(separator: ", "))
        }
        lines.append("")
        func right(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }
        let width = max(18, (stages.map(\.name.count).max() ?? 0) + 2)
        lines.append("stage".padding(toLength: width, withPad: " ", startingAt: 0)
                     + [("calls", 8), ("total s", 11), ("mean ms", 11), ("min ms", 11), ("max ms", 11), ("% wall", 9)]
                        .map { right($0.0, $0.1) }.joined())
        for s in stages {
            lines.append(s.name.padding(toLength: width, withPad: " ", startingAt: 0)
                         + String(format: "%8d %10.3f %10.2f %10.2f %10.2f %8.1f", s.calls, s.totalSeconds, s.meanMs, s.minMs, s.maxMs, s.percentOfWall))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public func json() throws -> Data { try JSONOutput.encode(self) }
}
