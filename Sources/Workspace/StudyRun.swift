import FaceMirror
import FaceMirrorCore
import Foundation
import Logging
import Study

/// One Run of a study started from the workspace: its batch runs on a thread of its own (the server
/// keeps serving), and what the terminal would show (the batch line, a line per running video, each
/// video's outcome) is kept as a snapshot that the study's event stream sends on each change.
final class StudyRun: BatchObserver, @unchecked Sendable {
    enum Phase: String { case starting, running, stopping, ended }

    let number: Int
    let stop = BatchStop()
    private let lock = NSLock()
    private let changed: @Sendable (StudyRun, _ urgent: Bool) -> Void
    private var phase = Phase.starting
    private var tally: BatchTally?
    private var keys: [String: String] = [:]
    private var outcomes: [String] = []
    /// Each video's status once this run has given it one, by its name in the state.
    private var statuses: [String: String] = [:]
    private var failure: String?
    /// The batch line as the run ended (its FPS no longer falling as time passes).
    private var lastLine: String?
    private let finishedGroup = DispatchGroup()

    /// `changed` is told after every change; `urgent` when a video started or ended (progress is not).
    init(number: Int, changed: @escaping @Sendable (StudyRun, _ urgent: Bool) -> Void) {
        self.number = number
        self.changed = changed
    }

    /// Prepares and runs the order on a thread of its own.
    func start(_ order: RunOrder, prepare: @escaping RunPreparer, logger: Logger) {
        finishedGroup.enter()
        let thread = Thread { [self] in
            defer {
                update(urgent: true) { run in
                    run.phase = .ended
                    run.lastLine = run.tally?.batchLine
                }
                finishedGroup.leave()
            }
            do {
                let prepared = try prepare(order, logger)
                update(urgent: true) { run in
                    run.tally = BatchTally(inputs: prepared.batch.inputs, problems: prepared.batch.missing.count)
                    run.keys = Dictionary(prepared.batch.inputs.map { ($0.path, $0.key) }, uniquingKeysWith: { a, _ in a })
                    run.outcomes += prepared.notes.map { "note: \($0)" } + prepared.batch.emptyFolders.map(\.description)
                    if run.phase == .starting { run.phase = .running }
                }
                guard !stop.isRequested else { return }
                try prepared.batch.run(processors: prepared.processors, options: prepared.options, redo: .failed, staleAfter: prepared.staleAfter,
                                       writeReport: prepared.writeReport, observer: self, stop: stop)
            } catch {
                let text = ErrorText.describe(error)
                logger.error("run \(number): \(text)")
                update(urgent: true) { $0.failure = text }
            }
        }
        // As `process` runs its batch on the main thread: the same stack for the jobs' first video.
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Asks the batch to stop: running videos end after their frame, unfinished, and are queued again.
    func requestStop() {
        update(urgent: true) { if $0.phase != .ended { $0.phase = .stopping } }
        stop.request()
    }

    var isActive: Bool { lock.lock(); defer { lock.unlock() }; return phase != .ended }

    /// Waits for the run's thread to end.
    func wait() { finishedGroup.wait() }

    /// The state of the run for the page, as JSON.
    func snapshot() -> [String: Any] {
        lock.lock(); defer { lock.unlock() }
        var value: [String: Any] = ["run": number, "phase": phase.rawValue, "outcomes": outcomes, "statuses": statuses]
        if let tally {
            value["batch"] = lastLine ?? tally.batchLine
            value["videos"] = tally.runningLines
        }
        if let failure { value["error"] = failure }
        return value
    }

    private func update(urgent: Bool, _ change: (StudyRun) -> Void) {
        lock.lock()
        change(self)
        lock.unlock()
        changed(self, urgent)
    }

    private func key(_ path: String) -> String { keys[path] ?? path }

    // MARK: BatchObserver (called from the jobs' threads)

    func started(_ input: StudyInput, claim: Claim) {
        update(urgent: true) { run in
            run.tally?.started(input)
            run.statuses[input.key] = VideoStatus.running.label
            if let why = claim.why { run.outcomes.append("\(input.key): again, \(why)") }
        }
    }

    func progress(_ input: StudyInput, framesDone: Int, framesExpected: Int?, elapsed: Double) {
        update(urgent: false) { $0.tally?.progress(input, framesDone: framesDone, framesExpected: framesExpected) }
    }

    func finished(_ input: StudyInput, summary: ProcessSummary) {
        let noFace = summary.framesWithFace == 0
        update(urgent: true) { run in
            run.tally?.finished(input, frames: summary.frames, noFace: noFace)
            let status = noFace ? VideoStatus.noFace : .done
            run.statuses[input.key] = status.label
            var line = String(format: "%@: %@, %d frames, face in %d, %.1f FPS", input.key, status.label, summary.frames, summary.framesWithFace,
                              summary.report.fps)
            if let problem = summary.examProblem { line += "; exam not analysed: \(problem)" }
            run.outcomes.append(line)
        }
    }

    func failed(_ path: String, error: Error) {
        update(urgent: true) { run in
            run.tally?.failed(path)
            run.statuses[run.key(path)] = VideoStatus.failed.label
            run.outcomes.append("\(run.key(path)): failed: \(ErrorText.describe(error))")
        }
    }

    func skipped(_ input: StudyInput, reason: String) {
        update(urgent: true) { run in
            run.tally?.skipped(input)
            run.outcomes.append("\(input.key): skipped, \(reason)")
        }
    }

    func busy(_ input: StudyInput, owner: ProcessOwner) {
        update(urgent: true) { run in
            run.tally?.busy(input)
            run.outcomes.append("\(input.key): skipped, \(owner) is processing it")
        }
    }

    func examRedone(_ input: StudyInput, exam: ExamResult?, problem: String?) {
        update(urgent: true) { run in
            run.tally?.examRedone(input)
            run.statuses[input.key] = VideoStatus.done.label
            run.outcomes.append("\(input.key): " + (problem.map { "exam not analysed: \($0)" } ?? "exam made again from its outputs"))
        }
    }

    func stopped(_ input: StudyInput) {
        update(urgent: true) { run in
            run.tally?.stopped(input)
            run.statuses[input.key] = VideoStatus.queued.label
            run.outcomes.append("\(input.key): stopped; its unfinished outputs were removed, and it waits for the next run")
        }
    }
}
