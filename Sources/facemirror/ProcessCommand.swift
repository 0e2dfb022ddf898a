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

    @Flag(name: .shortAndLong, help: "Log details (stream info, detections).")
    var verbose = false

    func validate() throws {
        guard threads >= 0 else { throw ValidationError("--threads must be 0 or more") }
        guard EncoderSettings.presets.contains(preset) else {
            throw ValidationError("--preset must be one of: \(EncoderSettings.presets.joined(separator: ", "))")
        }
        guard (0...51).contains(crf) else { throw ValidationError("--crf must be between 0 and 51") }
        guard seam >= 0, seam <= 100 else { throw ValidationError("--seam must be between 0 and 100") }
    }

    func run() throws {
        var logger = Logger(label: "facemirror") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = verbose ? .info : .warning
        MediaLog.configure(verbose: verbose)
        let outDir = URL(fileURLWithPath: output, isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: outDir, withIntermediateDirectories: true)
        } catch {
            throw CleanExit.message("facemirror: cannot create the output folder \(output): \(error.localizedDescription)")
        }
        var options = ProcessOptions(outputDirectory: outDir)
        options.debugVideo = !noDebugVideo
        options.overwrite = overwrite
        options.threads = threads
        options.encoder = EncoderSettings(preset: preset, crf: crf, threads: threads)
        options.seamWidth = seam

        let interrupts = InterruptCleanup()
        defer { withExtendedLifetime(interrupts) {} }
        let processor = try VideoProcessor.dlibDefault(seamWidth: seam, logger: logger)

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
