import FaceModels
import ArgumentParser
import FaceMirror
import FaceMirrorCore
import Foundation
import Logging
import MediaBinding
import ModelStore
import Study

struct ProcessCommand: ReportingCommand {
    static let configuration = CommandConfiguration(
        commandName: "process",
        abstract: "Mirror each face video into its two hemifaces and measure each side: landmarks, asymmetry, action units.",
        discussion: """
        For every video, writes into the output folder: <stem>_right_mirrored.mp4 (the image-left side, \
        the patient's right, kept and reflected), <stem>_left_mirrored.mp4, <stem>_debug.mp4, \
        <stem>_landmarks.csv, <stem>_asymmetry.csv and _asymmetry_summary.json (the landmark asymmetry measures), \
        <stem>_still_median.jpg and _still_largest.jpg, with action units <stem>_right_mirrored.csv and \
        _left_mirrored.csv (each hemiface's AUs), the exam: <stem>_timeline.csv (when each movement happens: from \
        --actions, <stem>_actions.csv, an upstream coded CSV, or found automatically), <stem>_exam.csv and .json (per \
        movement and zone each side's movement from rest and its symmetry), with AUs <stem>_{right,left}_mirrored_coded.csv; \
        <stem>_performance.txt/.json and, last, \
        <stem>_provenance.json; then <stem>_report.html from them. Files appear only once complete. A folder is searched for video files below it, and each video's outputs go to \
        the same place below the output folder as the video below the folder given.
        The study's state is kept in facemirror-study.sqlite in the output folder (one file per shard): \
        running the same command again, after it ended or was killed, skips the videos already done with \
        the same input and settings and does the rest. `facemirror study status DIR` shows where it stands.
        A file that cannot be processed is reported and skipped; the exit status is then non-zero.
        """
    )

    @OptionGroup(title: "Inputs and outputs")
    var io: InputOutputOptions

    @OptionGroup(title: "Models and providers")
    var modelOptions: ModelOptions

    @OptionGroup(title: "Action units")
    var actionUnits: ActionUnitOptions

    @OptionGroup(title: "Following the face")
    var following: FollowingOptions

    @OptionGroup(title: "Exam")
    var exam: ExamOptions

    @OptionGroup(title: "Study")
    var study: StudyOptions

    @Flag(name: .shortAndLong, help: "Print only errors and the final summary.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Log details (stream info, detections, FFmpeg's own messages) and print each video's timing table.")
    var verbose = false

    /// The run as asked, for the library's run plan.
    func request() throws -> RunRequest {
        var r = RunRequest(outputDirectory: URL(fileURLWithPath: io.output, isDirectory: true))
        r.options = io.processOptions
        r.options.following = try following.settings()
        exam.apply(to: &r.options)
        r.jobs = study.jobs
        modelOptions.apply(to: &r)
        actionUnits.apply(to: &r)
        return r
    }

    func validate() throws {
        if quiet && verbose { throw ValidationError("choose --quiet or --verbose") }
        try exam.validate(paths: io.paths)
        // The rules between the groups (each group has checked its own).
        do { try request().validate() } catch { throw ValidationError("\(error)") }
    }

    func execute() throws {
        // Before anything is written: a signal from here on removes what is unfinished.
        let interrupts = InterruptCleanup()
        defer { withExtendedLifetime(interrupts) {} }
        let events = try study.jsonLog.map { try EventLog(path: $0) }
        let logger = makeLogger(verbose: verbose, events: events)
        let plan = try RunPlan(try request(), store: ModelStore(directory: ModelStore.defaultDirectory()))
        let batch = try StudyBatch(paths: io.paths, glob: io.glob, shard: study.shard, outputDirectory: plan.options.outputDirectory,
                                    logger: logger)
        // A folder with no video is said as such; it is not a video that failed.
        for folder in batch.emptyFolders {
            events?.record("error", ["message": folder.description])
            ErrorReport.error(folder.description)
        }
        if batch.leftOut > 0 && !quiet {
            StandardError.write("note: left out \(batch.leftOut) file\(batch.leftOut == 1 ? "" : "s") that this study wrote (its outputs are never its inputs)\n")
        }
        if batch.inputs.isEmpty && batch.missing.isEmpty {
            // Nothing to run: no output folder or state file is made.
            throw ExitCode.failure
        }
        if let shard = study.shard, !quiet { print("shard \(shard): \(batch.inputs.count) of \(batch.foundCount) videos") }
        let processors = batch.hasWork ? try plan.makeProcessors(logger: logger) : []
        if batch.hasWork {
            try OutputFiles.createDirectory(plan.options.outputDirectory)
            if !quiet { for note in plan.notes { StandardError.write("note: \(note)\n") } }
        }
        let progress = BatchProgress(inputs: batch.inputs, problems: batch.missing.count, events: events, quiet: quiet) { summary, video in
            summaryText(summary, of: video)
        }
        try batch.run(processors: processors, options: plan.options, redo: study.redo, staleAfter: study.staleAfter,
                      writeReport: !io.noReport, observer: progress, command: ProcessCommand.typed())
        print(progress.closingText, terminator: "")
        if let events, let failure = events.failure {
            ErrorReport.error("\(events.path): the JSON log could not be written (\(failure.reason)); \(failure.lostEvents) event\(failure.lostEvents == 1 ? "" : "s") lost")
            throw ExitCode.failure
        }
        if progress.failedCount > 0 || progress.examProblemCount > 0 || !batch.emptyFolders.isEmpty { throw ExitCode.failure }
    }

    /// This command as typed, kept in the study's state for the workspace's Run (nil when `process` is not
    /// in this process's arguments, as in a test calling it directly).
    static func typed() -> RecordedCommand? {
        let words = CommandLine.arguments.dropFirst()
        guard let at = words.firstIndex(of: "process") else { return nil }
        return RecordedCommand.resolving(Array(words[words.index(after: at)...]), in: FileManager.default.currentDirectoryPath)
    }

    /// What became of one video: a few lines, or with -v the whole timing table and every file.
    private func summaryText(_ summary: ProcessSummary, of video: String) -> String {
        var lines: [String] = []
        if verbose { lines.append(summary.report.text.trimmingCharacters(in: .newlines)) }
        lines.append(String(format: "%@: %d frames, face found in %d of %d frames (detector ran %d time%@), %.1f FPS", video, summary.frames,
                            summary.framesWithFace, summary.frames, summary.detections, summary.detections == 1 ? "" : "s", summary.report.fps)
                     + (summary.framesWithFace == 0 ? "; no face anywhere: the mirrored videos are not written" : ""))
        let statuses = summary.frameCounts.filter { !$0.output }
        lines.append("  frames by status: " + statuses.map { "\($0.name) \($0.frames)" }.joined(separator: ", "))
        let quality = summary.landmarkQuality
        if quality.poorFrames > 0 {
            lines.append(String(format: "  landmarks poor in %d of %d frames with a face (%.0f %%): %@; left out of the summary",
                                quality.poorFrames, quality.framesWithFace, 100 * quality.poorShare, quality.reasons))
        }
        if let exam = summary.exam {
            let timeline = exam.timeline.file.map { "\(exam.timeline.source.rawValue) \($0)" } ?? "found automatically"
            if let reason = exam.noMovement {
                lines.append("  exam (\(timeline)): \(reason)")
            } else {
                lines.append("  exam (\(timeline)): \(exam.movements.count) movement\(exam.movements.count == 1 ? "" : "s"): "
                             + exam.movements.map(\.action.rawValue).joined(separator: " "))
            }
        }
        if !summary.failures.isEmpty {
            lines.append("  not measured: " + summary.failures.map { "\($0.name) \($0.frames)" }.joined(separator: ", "))
        }
        if verbose {
            lines.append("  wrote:")
            lines += summary.outputs.map { "    \($0)" }
        } else if let last = summary.outputs.last {
            lines.append("  wrote \(summary.outputs.count) files to \(URL(fileURLWithPath: last).deletingLastPathComponent().path)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
