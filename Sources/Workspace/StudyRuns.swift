import Foundation
import Logging
import Study

/// The Runs the workspace has started, one study at a time each, and the pages listening to them.
/// A second Run of a study while one is running starts nothing: it is answered with the running one
/// (the study's claims would keep the videos from being done twice all the same). A listener that
/// goes away is dropped at the next message it cannot take; each gets at most one message waiting.
public final class StudyRuns: @unchecked Sendable {
    /// What a Run request became.
    public enum Start: Sendable, Equatable {
        case started(run: Int)
        case alreadyRunning(run: Int)
    }

    private let lock = NSLock()
    private let prepare: RunPreparer
    private let logger: Logger
    private var runs: [Int: StudyRun] = [:]
    private var listeners: [Int: [UUID: AsyncStream<String>.Continuation]] = [:]
    private var lastSent: [Int: Date] = [:]
    private var counter = 0
    private var closed = false
    private let keepAlive: DispatchSourceTimer

    /// `prepare` turns a study's command into its batch (the front end that owns the command's syntax).
    public init(prepare: @escaping RunPreparer, logger: Logger) {
        self.prepare = prepare
        self.logger = logger
        keepAlive = DispatchSource.makeTimerSource(queue: .global())
        // Every 15 s each listener is sent the state again: a page that went away is noticed then at the latest.
        keepAlive.schedule(deadline: .now() + 15, repeating: 15)
        keepAlive.setEventHandler { [weak self] in self?.sendAll() }
        keepAlive.resume()
    }

    deinit { keepAlive.cancel() }

    /// Starts the study's command, or answers with the Run already going.
    public func start(study: Int, order: RunOrder) throws -> Start {
        lock.lock()
        if closed { lock.unlock(); throw WorkspaceError(path: order.outputDirectory.path, reason: "the workspace is stopping") }
        if let current = runs[study], current.isActive {
            lock.unlock()
            return .alreadyRunning(run: current.number)
        }
        counter += 1
        let run = StudyRun(number: counter) { [weak self] run, urgent in self?.changed(study: study, run: run, urgent: urgent) }
        runs[study] = run
        lock.unlock()
        logger.info("study \(study): run \(run.number) started: \(order.command.shellText)")
        run.start(order, prepare: prepare, logger: logger)
        return .started(run: run.number)
    }

    /// Asks the study's running Run to stop; false when none runs.
    public func stop(study: Int) -> Bool {
        lock.lock()
        let run = runs[study]
        lock.unlock()
        guard let run, run.isActive else { return false }
        run.requestStop()
        return true
    }

    /// The state of the study's last Run (nil before any), as the event stream sends it.
    public func snapshot(study: Int) -> [String: Any]? {
        lock.lock()
        let run = runs[study]
        lock.unlock()
        return run?.snapshot()
    }

    /// The study's messages for one listener, starting with the state now; nil once the workspace stops.
    public func listen(study: Int) -> AsyncStream<String>? {
        let id = UUID()
        let (stream, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(1))
        lock.lock()
        guard !closed else { lock.unlock(); return nil }
        listeners[study, default: [:]][id] = continuation
        let count = listeners[study]?.count ?? 0
        lock.unlock()
        logger.debug("study \(study): \(count) listening")
        continuation.onTermination = { [weak self] _ in self?.drop(study: study, id: id) }
        continuation.yield(message(study: study))
        return stream
    }

    /// Stops every Run and waits for them (their running videos end unfinished, their outputs removed,
    /// their claims given back), then ends every event stream. New Runs and listeners are refused.
    public func shutdown() {
        lock.lock()
        closed = true
        let active = runs.values.filter(\.isActive)
        lock.unlock()
        for run in active { run.requestStop() }
        for run in active { run.wait() }
        lock.lock()
        let all = listeners.values.flatMap(\.values)
        listeners = [:]
        lock.unlock()
        for continuation in all { continuation.finish() }
    }

    private func drop(study: Int, id: UUID) {
        lock.lock()
        listeners[study]?[id] = nil
        let count = listeners[study]?.count ?? 0
        lock.unlock()
        logger.info("study \(study): a page stopped listening (\(count) listening)")
    }

    /// Progress is sent at most four times a second; a video starting or ending at once.
    private func changed(study: Int, run: StudyRun, urgent: Bool) {
        lock.lock()
        let now = Date()
        if !urgent, let last = lastSent[study], now.timeIntervalSince(last) < 0.25 { lock.unlock(); return }
        lastSent[study] = now
        let targets = listeners[study].map { Array($0.values) } ?? []
        lock.unlock()
        guard !targets.isEmpty else { return }
        let text = message(study: study)
        for continuation in targets { continuation.yield(text) }
    }

    private func sendAll() {
        lock.lock()
        let all = listeners
        lock.unlock()
        for (study, targets) in all where !targets.isEmpty {
            let text = message(study: study)
            for continuation in targets.values { continuation.yield(text) }
        }
    }

    /// One Server-Sent Event: the Run's state as JSON (`{}` before any Run).
    private func message(study: Int) -> String {
        let value = snapshot(study: study) ?? [:]
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])) ?? Data("{}".utf8)
        return "event: run\ndata: " + String(decoding: data, as: UTF8.self) + "\n\n"
    }
}
