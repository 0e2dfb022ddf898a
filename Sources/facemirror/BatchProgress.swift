import FaceMirror
import FaceMirrorCore
import Foundation
import Study

/// What a batch has done so far, shared by its jobs: counts, the failed videos with their reasons,
/// the event log, and each video's block of output printed whole.
final class BatchProgress: @unchecked Sendable {
    private let lock = NSLock()
    private let total: Int
    private let events: EventLog?
    private var done = 0
    private var failed: [(video: String, reason: String)] = []

    init(total: Int, events: EventLog?) {
        self.total = total
        self.events = events
    }

    func finish(_ video: String, _ summary: ProcessSummary, print text: String?) {
        events?.record("finished", ["video": video, "frames": summary.frames, "frames_with_face": summary.framesWithFace,
                                    "not_measured": Dictionary(summary.failures.map { ($0.name, $0.frames) }, uniquingKeysWith: +),
                                    "outputs": summary.outputs, "seconds": summary.report.wallSeconds])
        lock.lock(); defer { lock.unlock() }
        done += 1
        if let text { Swift.print(text, terminator: "") }
    }

    func fail(_ video: String, _ error: Error) {
        let reason = ErrorText.describe(error)
        events?.record("failed", ["video": video, "reason": reason])
        lock.lock(); defer { lock.unlock() }
        ErrorReport.error(error, input: video)
        failed.append((video, reason))
    }

    var failedCount: Int { lock.lock(); defer { lock.unlock() }; return failed.count }

    /// ", k failed" once some have.
    var failedLabel: String {
        let n = failedCount
        return n == 0 ? "" : ", \(n) failed"
    }

    /// `N videos: D done, F failed` and each failed one with its reason.
    var closingText: String {
        lock.lock(); defer { lock.unlock() }
        var lines = ["\(total) video\(total == 1 ? "" : "s"): \(done) done, \(failed.count) failed"]
        lines += failed.map { "  failed: \($0.video): \($0.reason)" }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Hands out indices 0..<count to whichever job asks next.
final class WorkQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var position = 0
    private let count: Int

    init(count: Int) { self.count = count }

    func next() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard position < count else { return nil }
        defer { position += 1 }
        return position
    }
}
