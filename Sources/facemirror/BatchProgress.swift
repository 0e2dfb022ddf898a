import FaceMirror
import FaceMirrorCore
import Foundation
import Study

/// What a batch shows while it runs. On a terminal: one block on stderr, redrawn, with the batch's
/// line (videos done / failed / skipped of the total, frames per second, ETA by bytes) above a line
/// per video being processed. Each video's outcome is printed whole on stdout as it ends; elsewhere
/// (a log file) the batch line is printed after each video and every 10 s. Also feeds the JSON event log.
final class BatchProgress: BatchObserver, @unchecked Sendable {
    private struct Running {
        let name: String
        let bytes: Int64
        var frames = 0
        var expected: Int?
    }

    private let lock = NSLock()
    private let total: Int
    private let bytes: [String: Int64]
    private let events: EventLog?
    private let quiet: Bool
    private let describe: (ProcessSummary, String) -> String
    private let live = isatty(STDERR_FILENO) != 0
    private let clock = Date()
    private var running: [String: Running] = [:]
    private var order: [String] = []
    private var done = 0
    /// Processed videos in which no frame had a face.
    private var withoutFace = 0
    private var failed: [(video: String, reason: String)] = []
    private var skipped: [(video: String, reason: String)] = []
    /// Videos processed whose exam could not be analysed (a bad coding file), with the reason.
    private var examProblems: [String] = []
    private var busy: [(video: String, owner: String)] = []
    private var framesFinished = 0
    private var bytesFinished: Int64 = 0
    private var bytesSkipped: Int64 = 0
    private var drawnLines = 0
    private var lastDraw = -Double.infinity

    /// `bytes`: each video's size by path, for the ETA. `describe` makes a finished video's text.
    init(inputs: [StudyInput], problems: Int, events: EventLog?, quiet: Bool, describe: @escaping (ProcessSummary, String) -> String) {
        total = inputs.count + problems
        var sizes: [String: Int64] = [:]
        for input in inputs {
            sizes[input.path] = (try? FileManager.default.attributesOfItem(atPath: input.path)[.size] as? NSNumber)?.int64Value ?? 0
        }
        bytes = sizes
        self.events = events
        self.quiet = quiet
        self.describe = describe
    }

    func started(_ input: StudyInput, claim: Claim) {
        var fields: [String: Any] = ["video": input.path, "output_directory": input.relativeDirectory]
        if let why = claim.why { fields["redo"] = why }
        events?.record("started", fields)
        lock.lock(); defer { lock.unlock() }
        running[input.path] = Running(name: input.key, bytes: bytes[input.path] ?? 0)
        order.append(input.path)
        if let why = claim.why, !quiet { emit("\(input.path): again, \(why)\n") }
        draw(force: true)
    }

    func progress(_ input: StudyInput, framesDone: Int, framesExpected: Int?, elapsed: Double) {
        lock.lock(); defer { lock.unlock() }
        running[input.path]?.frames = framesDone
        running[input.path]?.expected = framesExpected
        draw(force: false)
    }

    func finished(_ input: StudyInput, summary: ProcessSummary) {
        let noFace = summary.framesWithFace == 0
        events?.record("finished", ["video": input.path, "status": (noFace ? VideoStatus.noFace : .done).label,
                                    "frames": summary.frames, "frames_with_face": summary.framesWithFace,
                                    "frames_poor_landmarks": summary.landmarkQuality.poorFrames,
                                    "poor_landmarks": Dictionary(summary.landmarkQuality.issues.map { ($0.issue, $0.frames) }, uniquingKeysWith: +),
                                    "not_measured": Dictionary(summary.failures.map { ($0.name, $0.frames) }, uniquingKeysWith: +),
                                    "outputs": summary.outputs, "seconds": summary.report.wallSeconds,
                                    "exam_problem": summary.examProblem as Any])
        lock.lock(); defer { lock.unlock() }
        end(input.path)
        if let problem = summary.examProblem { examProblems.append(problem) }
        if noFace { withoutFace += 1 } else { done += 1 }
        framesFinished += summary.frames
        if !quiet { emit(describe(summary, input.path)) }
        afterVideo()
    }

    func examRedone(_ input: StudyInput, exam: ExamResult?, problem: String?) {
        events?.record("exam", ["video": input.path, "movements": exam?.movements.count as Any, "exam_problem": problem as Any])
        lock.lock(); defer { lock.unlock() }
        end(input.path)
        done += 1
        if let problem {
            examProblems.append(problem)
            clear()
            ErrorReport.error(problem)
        } else if let exam, !quiet {
            let what = exam.noMovement ?? "\(exam.movements.count) movement\(exam.movements.count == 1 ? "" : "s"): " + exam.movements.map(\.action.rawValue).joined(separator: " ")
            emit("\(input.path): exam made again from its outputs (\(exam.timeline.file ?? "found automatically")): \(what)\n")
        }
        afterVideo()
    }

    func failed(_ path: String, error: Error) {
        let reason = ErrorText.describe(error)
        events?.record("failed", ["video": path, "reason": reason])
        lock.lock(); defer { lock.unlock() }
        end(path)
        failed.append((path, reason))
        clear()
        ErrorReport.error(error, input: path)
        afterVideo()
    }

    func skipped(_ input: StudyInput, reason: String) {
        events?.record("skipped", ["video": input.path, "reason": reason])
        lock.lock(); defer { lock.unlock() }
        skipped.append((input.path, reason))
        bytesSkipped += bytes[input.path] ?? 0
        if !quiet { emit("\(input.path): skipped, \(reason)\n") }
        draw(force: true)
    }

    func busy(_ input: StudyInput, owner: ProcessOwner) {
        events?.record("busy", ["video": input.path, "host": owner.host, "pid": owner.pid])
        lock.lock(); defer { lock.unlock() }
        busy.append((input.path, "\(owner)"))
        bytesSkipped += bytes[input.path] ?? 0
        if !quiet { emit("\(input.path): skipped, \(owner) is processing it\n") }
        draw(force: true)
    }

    /// A problem found before any video ran (a path that does not exist, a name collision).
    func refuse(_ path: String, _ error: Error) { failed(path, error: error) }

    var failedCount: Int { lock.lock(); defer { lock.unlock() }; return failed.count }
    var examProblemCount: Int { lock.lock(); defer { lock.unlock() }; return examProblems.count }

    /// `N videos: D done, F failed[, S skipped][, B left to other processes]` and each failed one with its reason.
    var closingText: String {
        lock.lock(); defer { lock.unlock() }
        clear()
        var head = "\(total) video\(total == 1 ? "" : "s"): \(done) done"
        if withoutFace > 0 { head += ", \(withoutFace) \(VideoStatus.noFace.label)" }
        head += ", \(failed.count) failed"
        if !skipped.isEmpty { head += ", \(skipped.count) skipped" }
        if !busy.isEmpty { head += ", \(busy.count) being processed by other processes" }
        var lines = [head]
        // The reason usually names the file already: the path once per line.
        lines += failed.map { "  failed: " + ($0.reason.hasPrefix("\($0.video): ") ? $0.reason : "\($0.video): \($0.reason)") }
        lines += examProblems.map { "  exam not analysed: \($0)" }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: drawing (called with the lock held)

    private func end(_ path: String) {
        if let r = running.removeValue(forKey: path) { bytesFinished += r.bytes }
        order.removeAll { $0 == path }
    }

    /// Prints text on stdout above the live block.
    private func emit(_ text: String) {
        clear()
        print(text, terminator: "")
        fflush(nil)  // every stream: stdout before the block is drawn again on stderr
    }

    private func afterVideo() {
        if live { draw(force: true) } else if !quiet { StandardError.write(batchLine() + "\n"); lastDraw = Date().timeIntervalSince(clock) }
    }

    private func batchLine() -> String {
        let elapsed = Date().timeIntervalSince(clock)
        let frames = framesFinished + running.values.reduce(0) { $0 + $1.frames }
        let fps = elapsed > 0 ? Double(frames) / elapsed : 0
        // Work done in bytes: finished videos whole, running ones by their share of frames.
        let partial = running.values.reduce(0.0) { sum, r in
            guard let e = r.expected, e > 0 else { return sum }
            return sum + Double(r.bytes) * min(1, Double(r.frames) / Double(e))
        }
        let work = Double(bytes.values.reduce(0, +) - bytesSkipped)
        let doneWork = Double(bytesFinished) + partial
        var line = "batch: \(done + withoutFace + failed.count + skipped.count + busy.count)/\(total) videos (\(done) done"
            + (withoutFace > 0 ? ", \(withoutFace) \(VideoStatus.noFace.label)" : "") + ", \(failed.count) failed"
        line += skipped.isEmpty ? ")" : ", \(skipped.count) skipped)"
        line += String(format: ", %.1f FPS", fps)
        if doneWork > 0, work > doneWork {
            line += ", ETA " + BatchProgress.clock(elapsed * (work - doneWork) / doneWork)
        }
        return line
    }

    private func draw(force: Bool) {
        guard !quiet else { return }
        let now = Date().timeIntervalSince(clock)
        let running = order.compactMap { path -> String? in
            guard let r = self.running[path] else { return nil }
            return "\(r.name): " + (r.expected.map { "\(r.frames)/\($0) frames" } ?? "\(r.frames) frames")
        }
        guard live else {
            // A log file gets a line every 10 s while videos run (and one after each video).
            guard now - lastDraw >= 10, !running.isEmpty else { return }
            lastDraw = now
            StandardError.write(([batchLine()] + running).joined(separator: "; ") + "\n")
            return
        }
        guard force || now - lastDraw >= 0.2 else { return }
        lastDraw = now
        clear()
        let lines = [batchLine()] + running.map { "  " + $0 }
        StandardError.write(lines.joined(separator: "\n"))
        drawnLines = lines.count
    }

    /// `m:ss`, or `h:mm:ss` from an hour.
    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }

    /// Removes the live block so that other text starts on a clean line.
    private func clear() {
        guard drawnLines > 0 else { return }
        StandardError.write("\r\u{1B}[K" + String(repeating: "\u{1B}[1A\u{1B}[K", count: drawnLines - 1))
        drawnLines = 0
    }
}
