import FaceMirror
import FaceMirrorCore
import FileDigest
import Foundation

/// What a batch tells whoever shows its progress. Called from the jobs' threads.
public protocol BatchObserver: AnyObject, Sendable {
    /// A video was claimed and starts; `claim.why` says why an earlier outcome is redone.
    func started(_ input: StudyInput, claim: Claim)
    func progress(_ input: StudyInput, framesDone: Int, framesExpected: Int?, elapsed: Double)
    func finished(_ input: StudyInput, summary: ProcessSummary)
    func failed(_ path: String, error: Error)
    /// Nothing to do for it (done with the same input and settings, say).
    func skipped(_ input: StudyInput, reason: String)
    /// Another live process works on it.
    func busy(_ input: StudyInput, owner: ProcessOwner)
    /// Its exam was made again from its outputs (its timeline's source changed), or could not be: why.
    func examRedone(_ input: StudyInput, exam: ExamResult?, problem: String?)
    /// The batch was stopped while it ran: its unfinished outputs are removed, and it is queued again.
    func stopped(_ input: StudyInput)
}

/// Runs a study's videos through `jobs` processors at once, each video claimed in the study's state
/// before it starts and recorded there once its outputs are in place, so that a rerun after any kill
/// does only what is left, and two processes never work on one video.
public final class BatchRunner: @unchecked Sendable {
    /// One per job: a processor works on one video at a time.
    public let processors: [VideoProcessor]
    public let options: ProcessOptions
    public let state: StudyState
    public let redo: RedoPolicy
    public let fingerprint: OutputFingerprint
    /// How often a running video's row says its process is alive.
    public var heartbeatInterval: TimeInterval = 30
    /// Write `<stem>_report.html` after each video's outputs (from them).
    public var writeReport = true
    /// Asked from elsewhere to stop: no video starts after it, and running ones end after their frame.
    public var stop: BatchStop?

    public init(processors: [VideoProcessor], options: ProcessOptions, state: StudyState, redo: RedoPolicy) throws {
        precondition(!processors.isEmpty)
        self.processors = processors
        self.options = options
        self.state = state
        self.redo = redo
        fingerprint = try OutputFingerprint(processor: processors[0], options: options)
    }

    /// Splits `inputs` into the videos to run and those refused because their outputs would take the
    /// names of an earlier one's (same stem in the same output folder).
    public static func refuseCollisions(_ inputs: [StudyInput], under root: URL) -> (work: [StudyInput], refused: [(StudyInput, Error)]) {
        var work: [StudyInput] = [], refused: [(StudyInput, Error)] = []
        var stems: [String: String] = [:]
        for input in inputs {
            let key = input.outputDirectory(under: root).appendingPathComponent(OutputNames.stem(of: input.path)).path
            if let other = stems[key] {
                refused.append((input, OutputError.cannotWrite(path: key, reason: "\(input.path) has the same name as \(other) in the same folder; their outputs would replace each other")))
                continue
            }
            stems[key] = input.path
            work.append(input)
        }
        return (work, refused)
    }

    /// Processes `inputs` (already free of collisions), registering them in the state first.
    public func run(_ inputs: [StudyInput], observer: BatchObserver) throws {
        try state.register(inputs)
        // Temporaries of killed runs on this machine go first, wherever the study's videos write.
        for directory in Set(inputs.map { $0.outputDirectory(under: options.outputDirectory).path }) {
            OutputFiles.removeStaleTemporaries(in: URL(fileURLWithPath: directory, isDirectory: true))
        }
        let queue = WorkQueue(count: inputs.count)
        DispatchQueue.concurrentPerform(iterations: processors.count) { job in
            while stop?.isRequested != true, let next = queue.next() {
                runOne(inputs[next], processor: processors[job], observer: observer)
            }
        }
    }

    private func runOne(_ input: StudyInput, processor: VideoProcessor, observer: BatchObserver) {
        let claim: Claim
        let directory = input.outputDirectory(under: options.outputDirectory)
        // Where the exam's timeline comes from now: a coding added or changed since redoes only the exam.
        let examSource = TimelineInput.sourceKey(input: input.path, outputDirectory: directory, actionsFile: options.actionsFile,
                                                 isOwnOutput: ProvenanceRecord.lists)
        do {
            switch try state.claim(input, fingerprint: fingerprint, redo: redo, replaceChangedInput: options.overwrite, examSource: examSource) {
            case .claimed(let c): claim = c
            case .skipped(let reason): observer.skipped(input, reason: reason); return
            case .busy(let owner): observer.busy(input, owner: owner); return
            case .refused(let reason): observer.failed(input.path, error: ClaimRefused(reason: reason)); return  // its row stays as it was
            }
        } catch {
            observer.failed(input.path, error: error)
            return
        }
        observer.started(input, claim: claim)
        var videoOptions = options
        videoOptions.outputDirectory = directory
        // Outputs under its names are this study's own once it was started before: a rerun replaces them.
        videoOptions.overwrite = options.overwrite || claim.startedBefore
        // What the study wrote before is never read back as a person's coding.
        videoOptions.ownOutputs = Set(claim.previousOutputs.map { options.outputDirectory.appendingPathComponent($0.path).standardizedFileURL.path })
        if claim.examOnly, redoExam(input, options: videoOptions, examSource: examSource, processor: processor, observer: observer) { return }
        do {
            try OutputFiles.createDirectory(directory)
            var lastBeat = Date()
            let summary = try processor.process(input.path, options: videoOptions) { frames, expected, elapsed in
                try self.stop?.check()
                observer.progress(input, framesDone: frames, framesExpected: expected, elapsed: elapsed)
                if Date().timeIntervalSince(lastBeat) >= self.heartbeatInterval {
                    lastBeat = Date()
                    try? self.state.heartbeat(input)
                }
            }
            var extra: [URL] = []
            if writeReport {
                extra.append(try VideoReport(directory: directory, stem: OutputNames.stem(of: input.path)).write())
            }
            let recorded = summary.examProblem == nil ? summary.exam.map { _ in examSource } : "\(TimelineInput.unusableKey) \(summary.examProblem!)"
            try state.finish(input, summary: summary, fingerprint: fingerprint, extraFiles: extra, examSource: recorded ?? examSource)
            removeLeftovers(of: claim, keeping: summary.outputs + extra.map(\.path))
            observer.finished(input, summary: summary)
        } catch is BatchStopped {
            try? state.release(input)
            observer.stopped(input)
        } catch {
            try? state.fail(input, reason: ErrorText.describe(error))
            observer.failed(input.path, error: error)
        }
    }

    /// Makes a done video's exam again from its outputs (its timeline's source changed). False when
    /// that needs the video itself (`--au-baseline rest`): the caller processes it whole.
    private func redoExam(_ input: StudyInput, options: ProcessOptions, examSource: String, processor: VideoProcessor,
                          observer: BatchObserver) -> Bool {
        let stem = OutputNames.stem(of: input.path)
        do {
            let exam = try ExamFromOutputs.redo(input.path, options: options, logger: processor.logger)
            var files = OutputNames.examFiles(actionUnits: FileManager.default.fileExists(atPath: options.outputDirectory
                .appendingPathComponent(stem + OutputNames.rightAUs).path)).map { options.outputDirectory.appendingPathComponent(stem + $0) }
            files.append(options.outputDirectory.appendingPathComponent(stem + OutputNames.provenance))
            if writeReport { files.append(try VideoReport(directory: options.outputDirectory, stem: stem).write()) }
            try state.finishExam(input, files: files, examSource: examSource)
            observer.examRedone(input, exam: exam, problem: nil)
        } catch ExamFromOutputsError.needsVideo {
            return false
        } catch {
            // The outputs made before stay as they were, and the video done; the next run tries again.
            try? state.finishExam(input, files: [], examSource: nil)
            observer.examRedone(input, exam: nil, problem: ErrorText.describe(error))
        }
        return true
    }

    /// Outputs of an earlier run that this one did not write again (another setting wrote a debug
    /// video, say): removed, so that a video's folder never mixes two settings' files. Only a regular file
    /// inside the output folder with the size and SHA-256 the state recorded is removed: anything else
    /// under that name is not what the study wrote.
    private func removeLeftovers(of claim: Claim, keeping outputs: [String]) {
        let kept = Set(outputs.map { URL(fileURLWithPath: $0).standardizedFileURL.path })
        for old in claim.previousOutputs {
            let path = options.outputDirectory.appendingPathComponent(old.path).standardizedFileURL.path
            guard !kept.contains(path), BatchRunner.isRecorded(path, old) else { continue }
            unlink(path)
        }
    }

    /// The file at `path` is a regular file (not a link) with the recorded size and SHA-256.
    static func isRecorded(_ path: String, _ file: OutputFile) -> Bool {
        guard case .regularFile(let bytes, _, _) = PathEntry.at(path), bytes == file.bytes else { return false }
        return (try? FileDigest.sha256(ofFile: path)) == file.sha256
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
