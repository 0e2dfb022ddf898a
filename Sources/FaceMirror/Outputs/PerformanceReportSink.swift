import FaceMirrorCore
import Foundation
import MediaBinding

/// `<stem>_performance.txt` and `.json`: where the time went. The processor finishes it after the
/// other sinks, so that their final flush is in the report.
final class PerformanceReportSink: FrameSink {
    private let context: SinkContext
    private let started: UInt64
    private var frames = 0
    private let detectorRuns: () -> (all: Int, region: Int)
    private(set) var report: PerformanceReport?

    /// `detectorRuns`: how many times the face detector has run so far, and how many of those on a region.
    init(context: SinkContext, started: UInt64, detectorRuns: @escaping () -> (all: Int, region: Int)) {
        self.context = context
        self.started = started
        self.detectorRuns = detectorRuns
    }

    func write(_ frame: VideoFrame, analysis: FrameAnalysis, mirrored: MirroredPair?) throws {
        frames += 1
    }

    func finish() throws {
        let wall = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        let runs = detectorRuns()
        let r = PerformanceReport(video: context.video.path, frames: frames, frameCounts: context.tally.counted, wallSeconds: wall,
                                  threads: context.threads, timer: context.timer, detectorRuns: runs.all,
                                  detectorRegionRuns: runs.region,
                                  provenance: URL(fileURLWithPath: context.files.finalPath(OutputNames.provenance)).lastPathComponent)
        try write(r.text, to: context.files.temporaryPath(for: OutputNames.reportText))
        try write(String(decoding: r.json, as: UTF8.self) + "\n", to: context.files.temporaryPath(for: OutputNames.reportJSON))
        report = r
    }

    private func write(_ text: String, to path: String) throws {
        do {
            try text.write(toFile: path, atomically: false, encoding: .utf8)
        } catch {
            throw OutputError.cannotWrite(path: path, reason: error.localizedDescription)
        }
    }
}
