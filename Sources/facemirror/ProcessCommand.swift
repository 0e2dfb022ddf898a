import ArgumentParser
import FaceMirror
import Foundation
import Logging

struct ProcessCommand: ParsableCommand {
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

    @Argument(help: "Video files (MP4, MOV, AVI, MKV, ...).")
    var videos: [String]

    @Option(name: [.short, .customLong("output")], help: "Output folder (created if missing).")
    var output: String = "."

    @Flag(help: "Do not write <stem>_debug.mp4.")
    var noDebugVideo = false

    @Flag(help: "Replace outputs that already exist.")
    var overwrite = false

    @Option(help: "Threads for decoding and encoding (0 = automatic).")
    var threads: Int = 0

    @Option(help: "x264 preset of the written videos (ultrafast ... veryslow).")
    var preset: String = EncoderSettings().preset

    @Option(help: "x264 constant rate factor of the written videos (lower = better quality, 18 ≈ visually lossless).")
    var crf: Double = EncoderSettings().crf

    @Option(help: "Width in pixels of the cross-faded seam along the midline (0 = hard cut).")
    var seam: Double = 6

    @Option(help: ArgumentHelp("Folder with the ONNX models, named as the seed system named them.",
                               discussion: "\(ModelStack.detectorFile), \(ModelStack.landmarksFile) and, for action units, \(ModelStack.auFile)."),
            completion: .directory)
    var models: String?

    @Option(help: "RetinaFace ONNX model, a file or a name in the model store (replaces dlib's detector).", completion: .file(extensions: ["onnx"]))
    var detector: String?

    @Option(help: "98-point landmark ONNX model, STAR or PFLD (replaces dlib's 68 points).", completion: .file(extensions: ["onnx"]))
    var landmarks: String?

    @Option(help: "Kind of the landmark model (star, pfld); read from its signature when not given.")
    var landmarksKind: String?

    @Option(help: "MTL ONNX model: action units of both hemifaces, emotion and gaze.", completion: .file(extensions: ["onnx"]))
    var auModel: String?

    @Option(help: "ONNX Runtime execution provider (CPU, CUDA, CoreML, ...).")
    var provider: String = "CPU"

    @Option(help: "ONNX Runtime threads per model (0 = one per core).")
    var ortThreads: Int = 0

    @Flag(help: "Detect on every frame, no tracking and no smoothing (per-frame results as the reference code gives them).")
    var raw = false

    @Flag(name: .shortAndLong, help: "Log details (stream info, detections).")
    var verbose = false

    func validate() throws {
        guard threads >= 0 else { throw ValidationError("--threads must be 0 or more") }
        guard EncoderSettings.presets.contains(preset) else {
            throw ValidationError("--preset must be one of: \(EncoderSettings.presets.joined(separator: ", "))")
        }
        guard (0...51).contains(crf) else { throw ValidationError("--crf must be between 0 and 51") }
        guard seam >= 0, seam <= 100 else { throw ValidationError("--seam must be between 0 and 100") }
        guard ortThreads >= 0 else { throw ValidationError("--ort-threads must be 0 or more") }
        if let kind = landmarksKind, LandmarkModelKind(rawValue: kind.lowercased()) == nil {
            throw ValidationError("--landmarks-kind must be one of: \(LandmarkModelKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        var logger = Logger(label: "facemirror") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = verbose ? .info : .warning
        MediaLog.configure(verbose: verbose)
        let outDir = URL(fileURLWithPath: output, isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: outDir, withIntermediateDirectories: true)
        } catch {
            FileHandle.standardError.write(Data("facemirror: error: cannot create the output folder \(output): \(error.localizedDescription)\n".utf8))
            throw ExitCode.failure
        }
        var options = ProcessOptions(outputDirectory: outDir)
        options.debugVideo = !noDebugVideo
        options.overwrite = overwrite
        options.threads = threads
        options.encoder = EncoderSettings(preset: preset, crf: crf, threads: threads)
        options.seamWidth = seam
        options.raw = raw

        let interrupts = InterruptCleanup()
        defer { withExtendedLifetime(interrupts) {} }
        var stack = ModelStack()
        stack.modelsDirectory = models
        stack.detector = try resolveModel(detector, logger: logger)
        stack.landmarks = try resolveModel(landmarks, logger: logger)
        stack.landmarksKind = landmarksKind.flatMap { LandmarkModelKind(rawValue: $0.lowercased()) }
        stack.auModel = try resolveModel(auModel, logger: logger)
        stack.session.provider = provider
        stack.session.intraOpThreads = ortThreads
        stack.rollAlignment = !raw
        let processor: VideoProcessor
        do {
            processor = try stack.makeProcessor(seamWidth: seam, logger: logger)
        } catch {
            FileHandle.standardError.write(Data("facemirror: error: \(error)\n".utf8))
            throw ExitCode.failure
        }

        var failures = 0
        var stems: [String: String] = [:]
        for (i, video) in videos.enumerated() {
            let stem = OutputNames.stem(of: video)
            if let other = stems[stem] {
                report(video, "has the same name as \(other); its outputs would replace each other (process it into another folder)")
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
                print("face found in \(summary.framesWithFace) of \(summary.frames) frames (detector ran \(summary.detections) times)")
                print("wrote:")
                for path in summary.outputs { print("  \(path)") }
                print("")
            } catch {
                progress.finish()
                report(video, error)
                failures += 1
            }
        }
        if failures > 0 {
            throw ExitCode(1)
        }
    }

    /// A model argument: a file, or the name of a model in the store (falling back to its backup
    /// when the installed file does not load).
    private func resolveModel(_ argument: String?, logger: Logger) throws -> String? {
        guard let argument, !FileManager.default.fileExists(atPath: argument) else { return argument }
        let store = ModelStore(directory: ModelStore.defaultDirectory())
        guard (try? store.entries())?.contains(where: { $0.name == argument }) == true else { return argument }
        do {
            let (path, why) = try store.loadablePath(of: argument)
            if let why { logger.warning("\(why)") }
            return path
        } catch {
            FileHandle.standardError.write(Data("facemirror: error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }

    private func report(_ video: String, _ error: Any) {
        var text = "\(error)"
        // Media and vision errors already name the file.
        if !text.hasPrefix(video) { text = "\(video): \(text)" }
        FileHandle.standardError.write(Data("facemirror: error: \(text)\n".utf8))
    }
}

/// Deletes half-written outputs when the run is interrupted (Ctrl-C, SIGTERM), then exits.
final class InterruptCleanup {
    private var sources: [DispatchSourceSignal] = []

    init() {
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                OutputFiles.registry.removeAll()
                FileHandle.standardError.write(Data("\nfacemirror: interrupted; unfinished outputs removed\n".utf8))
                exit(128 + sig)
            }
            source.resume()
            sources.append(source)
        }
    }
}
