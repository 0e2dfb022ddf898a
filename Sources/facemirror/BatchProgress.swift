import FaceMirror
import FaceMirrorCore
import Foundation
import Study

/// What a batch shows while it runs. On a terminal: one block on stderr, redrawn, with the batch's
/// line (videos done / failed / skipped of the total, frames per second, ETA by bytes) above a line
/// per video being processed. Each video's outcome is printed whole on stdout as it ends; elsewhere
/// (a log file) the batch line is printed after each video and every 10 s. Also feeds the JSON event log.
final class BatchProgress: BatchObserver, @unchecked Sendable {
    private let lock = NSLock()
    private var tally: BatchTally
    private let events: EventLog?
    private let quiet: Bool
    private let describe: (ProcessSummary, String) -> String
    private let live = isatty(STDERR_FILENO) != 0
    private let clock = Date()
    private var failed: [(video: String, reason: String)] = []
    private var skipped: [(video: String, reason: String)] = []
    /// Videos processed whose exam could not be analysed (a bad coding file), with the reason.
    private var examProblems: [String] = []
    private var busy: [(video: String, owner: String)] = []
    private var drawnLines = 0
    private var lastDraw = -Double.infinity

    /// `inputs`' sizes give the ETA; `problems` are refused before any work. `describe` makes a finished video's text.
    init(inputs: [StudyInput], problems: Int, events: EventLog?, quiet: Bool, describe: @escaping (ProcessSummary, String) -> String) {
        tally = BatchTally(inputs: inputs, problems: problems)
        self.events = events
        self.quiet = quiet
        self.describe = describe
    }

    func started(_ input: StudyInput, claim: Claim) {
        var fields: [String: Any] = ["video": input.path, "output_directory": input.relativeDirectory]
        if let why = claim.why { fields["redo"] = why }
        events?.record("started", fields)
        lock.lock(); defer { lock.unlock() }
        tally.started(input)
        if let why = claim.why, !quiet { emit("\(input.path): again, \(why)\n") }
        draw(force: true)
    }

    func progress(_ input: StudyInput, framesDone: Int, framesExpected: Int?, elapsed: Double) {
        lock.lock(); defer { lock.unlock() }
        tally.progress(input, framesDone: framesDone, framesExpected: framesExpected)
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
        tally.finished(input, frames: summary.frames, noFace: noFace)
        if let problem = summary.examProblem { examProblems.append(problem) }
        if !quiet { emit(describe(summary, input.path)) }
        afterVideo()
    }

    func examRedone(_ input: StudyInput, exam: ExamResult?, problem: String?) {
        events?.record("exam", ["video": input.path, "movements": exam?.movements.count as Any, "exam_problem": problem as Any])
        lock.lock(); defer { lock.unlock() }
        tally.examRedone(input)
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
        tally.failed(path)
        failed.append((path, reason))
        clear()
        ErrorReport.error(error, input: path)
        afterVideo()
    }

    func skipped(_ input: StudyInput, reason: String) {
        events?.record("skipped", ["video": input.path, "reason": reason])
        lock.lock(); defer { lock.unlock() }
        tally.skipped(input)
        skipped.append((input.path, reason))
        if !quiet { emit("\(input.path): skipped, \(reason)\n") }
        draw(force: true)
    }

    func busy(_ input: StudyInput, owner: ProcessOwner) {
        events?.record("busy", ["video": input.path, "host": owner.host, "pid": owner.pid])
        lock.lock(); defer { lock.unlock() }
        tally.busy(input)
        busy.append((input.path, "\(owner)"))
        if !quiet { emit("\(input.path): skipped, \(owner) is processing it\n") }
        draw(force: true)
    }

    /// `process` is never stopped from elsewhere (a signal ends it through `InterruptCleanup`); said for the log all the same.
    func stopped(_ input: StudyInput) {
        events?.record("stopped", ["video": input.path])
        lock.lock(); defer { lock.unlock() }
        tally.stopped(input)
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
        var head = "\(tally.total) video\(tally.total == 1 ? "" : "s"): \(tally.done) done"
        if tally.withoutFace > 0 { head += ", \(tally.withoutFace) \(VideoStatus.noFace.label)" }
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

    /// Prints text on stdout above the live block.
    private func emit(_ text: String) {
        clear()
        print(text, terminator: "")
        fflush(nil)  // every stream: stdout before the block is drawn again on stderr
    }

    private func afterVideo() {
        if live { draw(force: true) } else if !quiet { StandardError.write(tally.batchLine + "\n"); lastDraw = Date().timeIntervalSince(clock) }
    }

    private func draw(force: Bool) {
        guard !quiet else { return }
        let now = Date().timeIntervalSince(clock)
        let running = tally.runningLines
        guard live else {
            // A log file gets a line every 10 s while videos run (and one after each video).
            guard now - lastDraw >= 10, !running.isEmpty else { return }
            lastDraw = now
            StandardError.write(([tally.batchLine] + running).joined(separator: "; ") + "\n")
            return
        }
        guard force || now - lastDraw >= 0.2 else { return }
        lastDraw = now
        clear()
        let lines = [tally.batchLine] + running.map { "  " + $0 }
        StandardError.write(lines.joined(separator: "\n"))
        drawnLines = lines.count
    }

    /// Removes the live block so that other text starts on a clean line.
    private func clear() {
        guard drawnLines > 0 else { return }
        StandardError.write("\r\u{1B}[K" + String(repeating: "\u{1B}[1A\u{1B}[K", count: drawnLines - 1))
        drawnLines = 0
    }
}
