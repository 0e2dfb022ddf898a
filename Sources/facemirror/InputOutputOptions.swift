import ArgumentParser
import FaceMirror
import Foundation
import MediaBinding

/// `process`'s inputs and outputs: which videos, where the outputs go, which are written and how.
struct InputOutputOptions: ParsableArguments {
    @Argument(help: "Video files (MP4, MOV, AVI, MKV, ...) and folders of them (searched recursively).", completion: .file())
    var paths: [String]

    @Option(help: "In folders, take the files matching this shell pattern (e.g. '*.MTS', 'patient*/*.mp4') instead of every video file.")
    var glob: String?

    @Option(name: [.short, .customLong("output")], help: "Output folder (created if missing).", completion: .directory)
    var output: String = "."

    @Flag(help: "Do not write <stem>_debug.mp4.")
    var noDebugVideo = false

    @Flag(help: "Do not write <stem>_report.html (`facemirror report` makes it later from the other outputs).")
    var noReport = false

    @Flag(help: "Replace outputs that already exist but were not written by this study (an earlier run without its state file, say).")
    var overwrite = false

    @Flag(help: "Keep what decoded of a file that ends early (with a warning) instead of failing it.")
    var allowTruncated = false

    @Option(help: "x264 preset of the written videos.")
    var preset: X264Preset = EncoderSettings().preset

    @Option(help: "x264 constant rate factor of the written videos (lower = better quality, 18 ≈ visually lossless).")
    var crf: Double = EncoderSettings().crf

    @Option(help: "Width in pixels of the cross-faded seam along the midline (0 = hard cut).")
    var seam: Double = ProcessOptions(outputDirectory: URL(fileURLWithPath: ".")).seamWidth

    @Option(name: .customLong("mm-per-px"), help: ArgumentHelp("Millimetres per pixel of the videos, when known: the asymmetry outputs add millimetres.",
                                                              discussion: "Lengths are always also given as fractions of the intercanthal distance measured on the same frame, so that videos of different sizes compare."))
    var mmPerPx: Double?

    @Option(parsing: .unconditional, help: "Threads for decoding and encoding (0 = automatic: divided among the jobs; at most 4 per core).")
    var threads: Int = 0

    @Option(help: ArgumentHelp("How a video's stages share the time: overlapped or sequential.",
                               discussion: "overlapped (default): decoding, face following and the outputs (mirroring, encoding, CSVs) run in three threads, so the next frame decodes and the last is written while the models run; sequential: one frame at a time, the earlier path, for comparison. Both write the same outputs."))
    var pipeline: PipelineMode = .overlapped

    /// The per-video settings these options give (the following is another group's).
    var processOptions: ProcessOptions {
        var o = ProcessOptions(outputDirectory: URL(fileURLWithPath: output, isDirectory: true))
        o.debugVideo = !noDebugVideo
        o.overwrite = overwrite
        o.allowTruncated = allowTruncated
        o.threads = threads
        o.encoder = EncoderSettings(preset: preset, crf: crf, threads: threads)
        o.seamWidth = seam
        o.mmPerPixel = mmPerPx
        o.pipeline = pipeline
        return o
    }

    func validate() throws {
        do { try processOptions.validate() } catch { throw ValidationError("\(error)") }
    }
}
