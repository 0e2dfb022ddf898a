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
        abstract: "Mirror each face video into left and right hemiface videos, with landmarks and timings.",
        discussion: """
        For every video, writes into the output folder: <stem>_right_mirrored.mp4 (the image-left side, \
        the patient's right, kept and reflected), <stem>_left_mirrored.mp4, <stem>_debug.mp4, \
        <stem>_landmarks.csv, <stem>_asymmetry.csv and _asymmetry_summary.json (the landmark asymmetry measures), \
        <stem>_still_median.jpg and _still_largest.jpg, <stem>_performance.txt/.json and, last, \
        <stem>_provenance.json; then <stem>_report.html from them. Files appear only once complete. A folder is searched for video files below it, and each video's outputs go to \
        the same place below the output folder as the video below the folder given.
        The study's state is kept in facemirror-study.sqlite in the output folder (one file per shard): \
        running the same command again, after it ended or was killed, skips the videos already done with \
        the same input and settings and does the rest. `facemirror study status DIR` shows where it stands.
        A file that cannot be processed is reported and skipped; the exit status is then non-zero.
        """
    )

    @Argument(help: "Video files (MP4, MOV, AVI, MKV, ...) and folders of them (searched recursively).", completion: .file())
    var paths: [String]

    @Option(help: "In folders, take the files matching this shell pattern (e.g. '*.MTS', 'patient*/*.mp4') instead of every video file.")
    var glob: String?

    @Option(help: "Also write one JSON object per event (video started, finished, failed; warnings) to this file.", completion: .file())
    var jsonLog: String?

    @Flag(name: .shortAndLong, help: "Print only errors and the final summary.")
    var quiet = false

    @Option(help: ArgumentHelp("Process only the K-th (from 0) of N slices of the videos, e.g. 0/4, for N machines sharing a study.",
                               discussion: "Every shard computes the same split from the same videos (balanced by size), so a Slurm job array (--shard $SLURM_ARRAY_TASK_ID/N with --array=0-(N-1)) or a Kubernetes Indexed Job needs no coordinator."))
    var shard: Shard?

    @Option(name: .shortAndLong, help: "Videos processed at once. Threads are divided among them (jobs × threads ≤ cores) unless --threads or --ort-threads are given.")
    var jobs: Int = 1

    @Option(name: [.short, .customLong("output")], help: "Output folder (created if missing).", completion: .directory)
    var output: String = "."

    @Flag(help: "Do not write <stem>_debug.mp4.")
    var noDebugVideo = false

    @Flag(help: "Do not write <stem>_report.html (`facemirror report` makes it later from the other outputs).")
    var noReport = false

    @Flag(help: "Replace outputs that already exist but were not written by this study (an earlier run without its state file, say).")
    var overwrite = false

    @Option(help: ArgumentHelp("Which videos a rerun processes again: none, failed or all.",
                               discussion: "Videos done with the same input, options and models are skipped; interrupted ones are always redone, and videos whose input, options or models changed are redone with their old outputs replaced. failed (default): also those that failed; none: failed ones stay failed; all: every video."))
    var redo: RedoPolicy = .failed

    @Option(help: "Seconds after which a video claimed by a process on another machine that has stopped reporting is taken over.")
    var staleAfter: Double = 300

    @Flag(help: "Keep what decoded of a file that ends early (with a warning) instead of failing it.")
    var allowTruncated = false

    @Option(help: ArgumentHelp("How a video's stages share the time: overlapped or sequential.",
                               discussion: "overlapped (default): decoding, face following and the outputs (mirroring, encoding, CSVs) run in three threads, so the next frame decodes and the last is written while the models run; sequential: one frame at a time, the earlier path, for comparison. Both write the same outputs."))
    var pipeline: PipelineMode = .overlapped

    @Option(help: "Threads for decoding and encoding (0 = automatic).")
    var threads: Int = 0

    @Option(help: "x264 preset of the written videos.")
    var preset: X264Preset = EncoderSettings().preset

    @Option(help: "x264 constant rate factor of the written videos (lower = better quality, 18 ≈ visually lossless).")
    var crf: Double = EncoderSettings().crf

    @Option(help: "Width in pixels of the cross-faded seam along the midline (0 = hard cut).")
    var seam: Double = ProcessOptions(outputDirectory: URL(fileURLWithPath: ".")).seamWidth

    @Option(name: .customLong("mm-per-px"), help: ArgumentHelp("Millimetres per pixel of the videos, when known: the asymmetry outputs add millimetres.",
                                                              discussion: "Lengths are always also given as fractions of the intercanthal distance measured on the same frame, so that videos of different sizes compare."))
    var mmPerPx: Double?

    @Option(help: ArgumentHelp("Folder with the ONNX models, named as the seed system named them.",
                               discussion: "\(ModelStack.detectorFile), \(ModelStack.landmarksFile) and, for action units, \(ModelStack.auFile)."),
            completion: .directory)
    var models: String?

    @Option(help: "RetinaFace ONNX model, a file or a name in the model store (replaces dlib's detector).", completion: .file(extensions: ["onnx"]))
    var detector: String?

    @Option(help: "98-point landmark ONNX model, STAR or PFLD, a file or a stored name (replaces dlib's 68 points).",
            completion: .file(extensions: ["onnx"]))
    var landmarks: String?

    @Option(help: "Kind of the landmark model; read from its signature when not given.")
    var landmarksKind: LandmarkModelKind?

    @Option(help: "MTL ONNX model, a file or a stored name: action units of both hemifaces, emotion and gaze.",
            completion: .file(extensions: ["onnx"]))
    var auModel: String?

    @Option(name: .customLong("au"), help: ArgumentHelp("Action units measured on both hemifaces: openface2, mtl or none (repeat to run two).",
                                                         discussion: """
            openface2: OpenFace 2.2's 17 AU intensities (FHOG + linear SVR, OpenFace's offline post-processing) on any \
            stack; the default once its models are installed (facemirror model fetch openface2-au --accept-licence). \
            mtl: OpenFace 3.0's MTL network, 8 AUs (--au-model or the --models folder); the default when one is given. \
            With both, OpenFace 2's go to <stem>_{right,left}_mirrored.csv and MTL's to <stem>_{right,left}_mirrored_mtl.csv.
            """))
    var au: [AUMethod] = []

    @Option(name: .customLong("openface2"), help: "Folder of OpenFace 2 AU models (default: the store's, from `model fetch openface2-au` or `model import-openface2`).",
            completion: .directory)
    var openFace2: String?

    @Option(help: ArgumentHelp("Where each mirrored hemiface's landmarks for OpenFace 2 come from: reflected (default) or refitted.",
                               discussion: "reflected: the frame's landmarks, the kept half's mirrored onto the other; refitted: the landmark model run again on each mirrored picture."))
    var hemifaceLandmarks: HemifaceLandmarkSource?

    @Option(name: .customLong("dlib-landmarks"), help: "dlib's 68-point model file (default: $FACEMIRROR_DLIB_LANDMARKS, else Debian's /usr/share/dlib/shape_predictor_68_face_landmarks.dat).",
            completion: .file(extensions: ["dat"]))
    var dlibLandmarks: String?

    @OptionGroup(title: "ONNX Runtime")
    var ort: OrtOptions

    @Option(help: ArgumentHelp("How landmarks are smoothed over frames (default: centred).",
                               discussion: "centred: zero lag, a window over the 2 frames before and after; causal: the seed system's mean of the last 5 frames (it trails a moving head); none: each frame's own fit."))
    var smoothing: LandmarkSmoothing?

    @Flag(help: "Detect on every frame, no tracking and no smoothing (per-frame results as the reference code gives them).")
    var raw = false

    @Flag(name: .shortAndLong, help: "Log details (stream info, detections, FFmpeg's own messages) and print each video's timing table.")
    var verbose = false

    func validate() throws {
        guard threads >= 0 else { throw ValidationError("--threads must be 0 or more") }
        guard jobs >= 1 else { throw ValidationError("--jobs must be 1 or more") }
        guard staleAfter > 0 else { throw ValidationError("--stale-after must be more than 0 seconds") }
        guard (0...51).contains(crf) else { throw ValidationError("--crf must be between 0 and 51") }
        guard seam >= 0, seam <= 100 else { throw ValidationError("--seam must be between 0 and 100") }
        if let mmPerPx, !(mmPerPx > 0 && mmPerPx.isFinite) { throw ValidationError("--mm-per-px must be a positive number") }
        if quiet && verbose { throw ValidationError("choose --quiet or --verbose") }
        if raw, let smoothing, smoothing != .none { throw ValidationError("--raw smooths nothing; it cannot go with --smoothing \(smoothing.rawValue)") }
        if dlibLandmarks != nil && landmarks != nil { throw ValidationError("--dlib-landmarks is dlib's model; --landmarks replaces dlib, so give one of them") }
        if let dlibLandmarks, !FileManager.default.fileExists(atPath: dlibLandmarks) { throw ValidationError("--dlib-landmarks \(dlibLandmarks): no such file") }
        if au.contains(.none) && au.count > 1 { throw ValidationError("--au none means no action units; it cannot go with --au \(au.filter { $0 != .none }.map(\.rawValue).joined(separator: ", "))") }
        if au.contains(.none) && (openFace2 != nil || hemifaceLandmarks != nil) {
            throw ValidationError("--au none measures no action units; --openface2 and --hemiface-landmarks are for OpenFace 2's")
        }
        if au.contains(.mtl) && auModel == nil && models == nil {
            throw ValidationError("--au mtl runs OpenFace 3.0's MTL network: give --au-model FILE or --models DIR")
        }
        if !au.isEmpty && !au.contains(.mtl) && auModel != nil {
            throw ValidationError("--au-model is the MTL network's; add --au mtl to run it beside --au \(au.map(\.rawValue).joined(separator: ", "))")
        }
        if let openFace2, !FileManager.default.fileExists(atPath: openFace2) { throw ValidationError("--openface2 \(openFace2): no such folder") }
        if ort.provider != .cpu && models == nil && detector == nil && landmarks == nil && auModel == nil {
            throw ValidationError("--provider \(ort.provider) runs ONNX models; the default dlib stack runs on the CPU only (give --models DIR or --detector/--landmarks)")
        }
    }

    func execute() throws {
        // Before anything is written: a signal from here on removes what is unfinished.
        let interrupts = InterruptCleanup()
        defer { withExtendedLifetime(interrupts) {} }
        let events = try jsonLog.map { try EventLog(path: $0) }
        let logger = makeLogger(verbose: verbose, events: events)
        let outDir = URL(fileURLWithPath: output, isDirectory: true)
        try OutputFiles.createDirectory(outDir)
        var options = ProcessOptions(outputDirectory: outDir)
        options.debugVideo = !noDebugVideo
        options.overwrite = overwrite
        options.allowTruncated = allowTruncated
        // Several jobs share the cores: each gets its part unless the user said how many threads.
        let share = jobs > 1 ? max(1, ProcessInfo.processInfo.activeProcessorCount / jobs) : 0
        let mediaThreads = threads > 0 ? threads : share
        options.threads = mediaThreads
        options.encoder = EncoderSettings(preset: preset, crf: crf, threads: mediaThreads)
        options.seamWidth = seam
        options.mmPerPixel = mmPerPx
        options.pipeline = pipeline
        options.following = FaceFollower.Settings(raw: raw, smoothing: smoothing ?? (raw ? .none : .centred))

        var stack = ModelStack()
        stack.modelsDirectory = models
        stack.detector = try modelFile(detector)
        stack.landmarks = try modelFile(landmarks)
        stack.landmarksKind = landmarksKind
        stack.auModel = try modelFile(auModel)
        stack.dlibLandmarks = dlibLandmarks
        stack.session = ort.session
        stack.runsMTL = au.isEmpty || au.contains(.mtl)
        stack.openFace2Directory = try openFace2Models()
        stack.hemifaceLandmarks = hemifaceLandmarks ?? .defaultChoice
        if ort.ortThreads == 0 { stack.session.intraOpThreads = share }
        // One processor per job: the detector is not to be shared between threads.
        let processors = try (0..<jobs).map { _ in try stack.makeProcessor(logger: logger) }

        let (found, problems) = StudyInputs.discover(paths, glob: glob)
        let inputs = shard.map { $0.select(found) } ?? found
        if let shard, !quiet { print("shard \(shard): \(inputs.count) of \(found.count) videos") }
        let state = try StudyState(outputDirectory: outDir, shard: shard)
        state.staleAfter = staleAfter
        let batch = BatchProgress(inputs: inputs, problems: problems.count, events: events, quiet: quiet) { summary, video in
            summaryText(summary, of: video)
        }
        for problem in problems { batch.refuse(problem.path, problem) }
        // Two videos whose outputs would land on the same names: the second is refused before any work.
        let (work, refused) = BatchRunner.refuseCollisions(inputs, under: outDir)
        for (input, error) in refused { batch.refuse(input.path, error) }
        let runner = try BatchRunner(processors: processors, options: options, state: state, redo: redo)
        runner.writeReport = !noReport
        try runner.run(work, observer: batch)
        print(batch.closingText, terminator: "")
        if batch.failedCount > 0 { throw ExitCode.failure }
    }

    /// What became of one video: a few lines, or with -v the whole timing table and every file.
    private func summaryText(_ summary: ProcessSummary, of video: String) -> String {
        var lines: [String] = []
        if verbose { lines.append(summary.report.text.trimmingCharacters(in: .newlines)) }
        lines.append(String(format: "%@: %d frames, face found in %d of %d frames (detector ran %d times), %.1f FPS", video, summary.frames,
                            summary.framesWithFace, summary.frames, summary.detections, summary.report.fps)
                     + (summary.framesWithFace == 0 ? "; no face anywhere: the mirrored videos are not written" : ""))
        let statuses = summary.frameCounts.filter { !$0.output }
        lines.append("  frames by status: " + statuses.map { "\($0.name) \($0.frames)" }.joined(separator: ", "))
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

    /// The OpenFace 2 model folder this run uses: --openface2, else the store's when it is there and
    /// OpenFace 2's AUs are asked for or left to the default.
    private func openFace2Models() throws -> String? {
        if au.contains(.none) { return nil }
        if let openFace2 { return openFace2 }
        let installed = ModelStore(directory: ModelStore.defaultDirectory()).openFace2Directory
        let present = FileManager.default.fileExists(atPath: installed.path)
        if au.contains(.openface2) {
            guard present else {
                throw ValidationError("--au openface2: OpenFace 2's AU models are not installed; run `facemirror model fetch openface2-au --accept-licence` (or give --openface2 DIR)")
            }
            return installed.path
        }
        if au.isEmpty {
            if present { return installed.path }
            if auModel == nil && models == nil && !quiet {
                StandardError.write("note: no action units: OpenFace 2's AU models are not installed (facemirror model fetch openface2-au --accept-licence)\n")
            }
        }
        return nil
    }

    /// A model argument: a file, or the name of a model in the store, with the file `model install`
    /// kept before it to fall back on when the installed one does not load.
    private func modelFile(_ argument: String?) throws -> ModelFile? {
        guard let argument else { return nil }
        let store = ModelStore(directory: ModelStore.defaultDirectory())
        guard !FileManager.default.fileExists(atPath: argument), store.contains(argument) else { return ModelFile(path: argument) }
        let files = try store.files(of: argument)
        return ModelFile(path: files.path, fallback: files.backup)
    }
}
