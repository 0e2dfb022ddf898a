import FaceModels
import ArgumentParser
import FaceMirror
import Foundation
import Logging
import MediaBinding
import ModelStore
import ModelToolchain
import OrtBinding

struct BenchCommand: ReportingCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure model latency (and the whole pipeline) through facemirror's ONNX Runtime binding.",
        discussion: """
        Per model: median, p10 and p90 of the Swift call (profiler off: it costs time per node), the \
        binding's overhead against ONNX Runtime's own time in 10 extra profiled runs, and the \
        multiply-accumulates per second achieved. With --baseline, \
        the model and the baseline run alternately (A, B, A, B, …) and the speed-up is printed. --targets \
        checks figures against must/should/stretch goals. --video runs `process` on a video with the \
        --models stack (dlib without it) and prints the pipeline FPS and per-stage split.
        """)

    @Argument(help: "ONNX models.", completion: .file(extensions: ["onnx"]))
    var modelFiles: [String] = []

    @Option(help: "A folder of ONNX models (as `process --models` takes it): benchmark each model found.", completion: .directory)
    var models: String?

    @Option(help: "Compare the (single) model with this one, in alternating runs.", completion: .file(extensions: ["onnx"]))
    var baseline: String?

    @Option(help: "Timed runs per model.")
    var runs: Int = 20

    @Option(help: "Untimed runs first.")
    var warmup: Int = 3

    @OptionGroup(title: "ONNX Runtime")
    var ort: OrtOptions

    @Option(help: "Shape of the first input, e.g. 1x3x720x1280 (needed for dynamic sizes; default 640).")
    var shape: TensorShape?

    @Option(help: "JSON file of must/should/stretch targets.", completion: .file(extensions: ["json"]))
    var targets: String?

    @Option(help: "Also benchmark the whole pipeline on this video.", completion: .file())
    var video: String?

    @Option(name: .customLong("openface2-stages"), help: ArgumentHelp("Time OpenFace 2's AU stages per face on this video (with --landmarks-csv).",
            discussion: "PDM fit, alignment and mask, FHOG, geometry, running median and SVR, in ms per face, the first face left out, as OpenFace 2's Python reference reports them (scripts/bench/bench_openface2.sh runs both)."),
            completion: .file())
    var openFace2Stages: String?

    @Option(help: "68-point landmarks for --openface2-stages, one row per frame (facemirror's landmark CSV layout).", completion: .file(extensions: ["csv"]))
    var landmarksCsv: String?

    @Option(name: .customLong("openface2"), help: "OpenFace 2 model folder for --openface2-stages (default: the store's).", completion: .directory)
    var openFace2: String?

    @Option(help: "Times --openface2-stages goes through the video.")
    var passes: Int = 3

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        guard runs > 0, warmup >= 0 else { throw ValidationError("--runs must be positive, --warmup not negative") }
        if baseline != nil && modelFiles.count != 1 { throw ValidationError("--baseline compares exactly one model with it") }
        if modelFiles.isEmpty && models == nil && video == nil && openFace2Stages == nil {
            throw ValidationError("give models, --models DIR, --video or --openface2-stages")
        }
        if (openFace2Stages == nil) != (landmarksCsv == nil) { throw ValidationError("--openface2-stages and --landmarks-csv go together") }
        guard passes > 0 else { throw ValidationError("--passes must be positive") }
        if let shape, let refusal = shape.refusal("--shape \(shape)") { throw ValidationError(refusal) }
    }

    struct Output: Encodable {
        var models: [ModelBenchmark] = []
        var baselines: [ModelBenchmark] = []
        var pipeline: PerformanceReport?
        var openFace2Stages: OpenFace2StageBenchmark.Result?
        var targets: [[String: String]] = []
    }

    func execute() throws {
        try withScratchDirectory("bench") { try run(in: $0) }
    }

    private func run(in work: URL) throws {
        var files = modelFiles
        if let models { files += try ModelFolder.contents(of: models).files }
        var out = Output()
        var baselineOf: [String: ModelBenchmark] = [:]
        for model in files {
            let result: ModelBenchmark
            if let baseline {
                let (a, b) = try ModelBenchmark.compare(modelPath: model, baselinePath: baseline, options: ort.session, runs: runs,
                                                        warmup: warmup, inputShape: shape?.dimensions, workDirectory: work)
                result = a
                out.baselines.append(b)
                baselineOf[a.model] = b
            } else {
                result = try ModelBenchmark.run(modelPath: model, options: ort.session, runs: runs, warmup: warmup,
                                                inputShape: shape?.dimensions, workDirectory: work)
            }
            out.models.append(result)
            if !json { printModel(result, baseline: baselineOf[result.model]) }
        }
        if let video {
            // The run `process --models DIR` would make, into a scratch folder.
            var request = RunRequest(outputDirectory: work.appendingPathComponent("pipeline"))
            request.modelsDirectory = models
            request.session = ort.session
            request.options.overwrite = true
            let plan = try RunPlan(request, store: ModelStore(directory: ModelStore.defaultDirectory()))
            try FileManager.default.createDirectory(at: plan.options.outputDirectory, withIntermediateDirectories: true)
            let summary = try plan.makeProcessor(logger: makeLogger(verbose: false)).process(video, options: plan.options)
            out.pipeline = summary.report
            if !json { print(summary.report.text) }
        }
        if let openFace2Stages, let landmarksCsv {
            let dir = openFace2 ?? ModelStore(directory: ModelStore.defaultDirectory()).openFace2Directory.path
            let result = try OpenFace2StageBenchmark.run(video: openFace2Stages, landmarksCSV: landmarksCsv,
                                                         models: try OpenFace2Models(directory: dir), passes: passes)
            out.openFace2Stages = result
            if !json {
                print("OpenFace 2 AU stages, \(result.faces) faces (\(passes) passes), ms per face, first face left out:")
                for stage in OpenFace2StageBenchmark.stages {
                    print("  " + stage.padding(toLength: 14, withPad: " ", startingAt: 0)
                          + String(format: " mean %7.3f  median %7.3f", result.meanMs[stage] ?? .nan, result.medianMs[stage] ?? .nan))
                }
                print("  " + "total".padding(toLength: 14, withPad: " ", startingAt: 0)
                      + String(format: " mean %7.3f  median %7.3f", result.totalMeanMs, result.totalMedianMs))
            }
        }
        var failed = false
        if let targets {
            let figures = BenchTarget.figures(out.models, baselines: baselineOf, pipelineFPS: out.pipeline?.fps)
            for t in try BenchTarget.load(targets) {
                guard let value = figures[t.figure] else {
                    out.targets.append(["figure": t.figure, "result": "not measured"])
                    if !json { print("target \(t.figure): not measured in this run (figures: \(figures.keys.sorted().joined(separator: ", ")))") }
                    continue
                }
                let level = t.level(of: value)
                failed = failed || (level == nil && t.must != nil)
                out.targets.append(["figure": t.figure, "value": String(format: "%.3f", value), "result": level ?? "FAIL"])
                if !json {
                    let goals = [("must", t.must), ("should", t.should), ("stretch", t.stretch)].compactMap { g in g.1.map { "\(g.0) \($0)" } }
                    print(String(format: "target %@ = %.3f (%@): %@", t.figure, value, goals.joined(separator: ", "), level.map { "PASS \($0)" } ?? "FAIL"))
                }
            }
        }
        if json { try printJSON(out) }
        if failed { throw ExitCode.failure }
    }

    private func printModel(_ r: ModelBenchmark, baseline: ModelBenchmark?) {
        let rate = r.gmacsPerSecond.map { String(format: "  |  %.1f GMAC/s (%.2f GMACs per run)", $0, Double(r.macs ?? 0) / 1e9) } ?? ""
        print(String(format: "%@  input %@  threads %d  runs %d\n  median %.2f ms  p10 %.2f  p90 %.2f  |  profiled runs: ORT's own median %.2f ms, binding overhead %+.2f %%%@",
                     URL(fileURLWithPath: r.model).lastPathComponent, r.inputShape.map(String.init).joined(separator: "x"),
                     r.threads, r.runs, r.medianMs, r.p10Ms, r.p90Ms, r.ortMedianMs, r.overheadPercent, rate))
        if let b = baseline {
            print(String(format: "  baseline %@: median %.2f ms  p10 %.2f  p90 %.2f  →  speed-up ×%.3f (baseline / model)",
                         URL(fileURLWithPath: b.model).lastPathComponent, b.medianMs, b.p10Ms, b.p90Ms, b.medianMs / r.medianMs))
        }
    }

}
