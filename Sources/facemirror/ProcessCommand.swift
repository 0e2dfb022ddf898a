import ArgumentParser
import FaceMirror
import Foundation
import Logging
import MediaBinding
import ModelStore

struct ProcessCommand: ReportingCommand {
    static let configuration = CommandConfiguration(
        commandName: "process",
        abstract: "Mirror each face video into left and right hemiface videos, with landmarks and timings.",
        discussion: """
        For every VIDEO, writes into the output folder: <stem>_right_mirrored.mp4 (the image-left side, \
        the patient's right, kept and reflected), <stem>_left_mirrored.mp4, <stem>_debug.mp4, \
        <stem>_landmarks.csv and <stem>_performance.txt/.json. Files appear only once complete.
        A file that cannot be processed is reported and skipped; the exit status is then non-zero.
        """
    )

    @Argument(help: "Video files (MP4, MOV, AVI, MKV, ...).", completion: .file())
    var videos: [String]

    @Option(name: [.short, .customLong("output")], help: "Output folder (created if missing).", completion: .directory)
    var output: String = "."

    @Flag(help: "Do not write <stem>_debug.mp4.")
    var noDebugVideo = false

    @Flag(help: "Replace outputs that already exist.")
    var overwrite = false

    @Flag(help: "Keep what decoded of a file that ends early (with a warning) instead of failing it.")
    var allowTruncated = false

    @Option(help: "Threads for decoding and encoding (0 = automatic).")
    var threads: Int = 0

    @Option(help: "x264 preset of the written videos.")
    var preset: X264Preset = EncoderSettings().preset

    @Option(help: "x264 constant rate factor of the written videos (lower = better quality, 18 ≈ visually lossless).")
    var crf: Double = EncoderSettings().crf

    @Option(help: "Width in pixels of the cross-faded seam along the midline (0 = hard cut).")
    var seam: Double = ProcessOptions(outputDirectory: URL(fileURLWithPath: ".")).seamWidth

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

    @OptionGroup(title: "ONNX Runtime")
    var ort: OrtOptions

    @Option(help: ArgumentHelp("How landmarks are smoothed over frames (default: centred).",
                               discussion: "centred: zero lag, a window over the 2 frames before and after; causal: the seed system's mean of the last 5 frames (it trails a moving head); none: each frame's own fit."))
    var smoothing: LandmarkSmoothing?

    @Flag(help: "Detect on every frame, no tracking and no smoothing (per-frame results as the reference code gives them).")
    var raw = false

    @Flag(name: .shortAndLong, help: "Log details (stream info, detections, FFmpeg's own messages).")
    var verbose = false

    func validate() throws {
        guard threads >= 0 else { throw ValidationError("--threads must be 0 or more") }
        guard (0...51).contains(crf) else { throw ValidationError("--crf must be between 0 and 51") }
        guard seam >= 0, seam <= 100 else { throw ValidationError("--seam must be between 0 and 100") }
        if raw, let smoothing, smoothing != .none { throw ValidationError("--raw smooths nothing; it cannot go with --smoothing \(smoothing.rawValue)") }
    }

    func execute() throws {
        // Before anything is written: a signal from here on removes what is unfinished.
        let interrupts = InterruptCleanup()
        defer { withExtendedLifetime(interrupts) {} }
        let logger = makeLogger(verbose: verbose)
        let outDir = URL(fileURLWithPath: output, isDirectory: true)
        try OutputFiles.createDirectory(outDir)
        var options = ProcessOptions(outputDirectory: outDir)
        options.debugVideo = !noDebugVideo
        options.overwrite = overwrite
        options.allowTruncated = allowTruncated
        options.threads = threads
        options.encoder = EncoderSettings(preset: preset, crf: crf, threads: threads)
        options.seamWidth = seam
        options.following = FaceFollower.Settings(raw: raw, smoothing: smoothing ?? (raw ? .none : .centred))

        var stack = ModelStack()
        stack.modelsDirectory = models
        stack.detector = try modelFile(detector)
        stack.landmarks = try modelFile(landmarks)
        stack.landmarksKind = landmarksKind
        stack.auModel = try modelFile(auModel)
        stack.session = ort.session
        let processor = try stack.makeProcessor(logger: logger)

        var failures = 0
        var stems: [String: String] = [:]
        for (i, video) in videos.enumerated() {
            let stem = OutputNames.stem(of: video)
            if let other = stems[stem] {
                ErrorReport.error("\(video): has the same name as \(other); its outputs would replace each other (process it into another folder)")
                failures += 1
                continue
            }
            stems[stem] = video
            let progress = ProgressDisplay(label: "[\(i + 1)/\(videos.count)] \(URL(fileURLWithPath: video).lastPathComponent)")
            do {
                let summary = try processor.process(video, options: options) { done, expected, elapsed in
                    progress.update(done: done, expected: expected, elapsed: elapsed)
                }
                progress.finish()
                print(summary.report.text)
                print("face found in \(summary.framesWithFace) of \(summary.frames) frames (detector ran \(summary.detections) times)"
                      + (summary.framesWithFace == 0 ? "; no face anywhere: the mirrored videos are not written" : ""))
                if !summary.failures.isEmpty {
                    print("not measured: " + summary.failures.map { "\($0.name) \($0.frames)" }.joined(separator: ", "))
                }
                print("wrote:")
                for path in summary.outputs { print("  \(path)") }
                print("")
            } catch {
                progress.finish()
                ErrorReport.error(error, input: video)
                failures += 1
            }
        }
        if failures > 0 { throw ExitCode.failure }
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
