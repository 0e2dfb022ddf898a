import ArgumentParser
import FaceMirror
import Foundation

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure model latency through facemirror's ONNX Runtime binding, beside ORT's own time.",
        discussion: "For each model: median, p10 and p90 of the Swift call, ONNX Runtime's own median for the same runs (its profiler), and the binding's overhead in percent.")

    @Argument(help: "ONNX models.", completion: .file(extensions: ["onnx"]))
    var models: [String]

    @Option(help: "Timed runs per model.")
    var runs: Int = 20

    @Option(help: "Untimed runs first.")
    var warmup: Int = 3

    @Option(help: "ONNX Runtime intra-op threads (0 = one per core).")
    var threads: Int = 0

    @Option(help: "Shape of the first input, e.g. 1x3x720x1280 (needed for dynamic sizes; default 640).")
    var shape: String?

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        guard runs > 0, warmup >= 0, threads >= 0 else { throw ValidationError("--runs must be positive, --warmup and --threads not negative") }
        if let shape, parsedShape(shape) == nil { throw ValidationError("--shape takes dimensions like 1x3x720x1280") }
    }

    private func parsedShape(_ s: String) -> [Int]? {
        let dims = s.split(separator: "x").map { Int($0) }
        return dims.contains(nil) || dims.isEmpty ? nil : dims.map { $0! }
    }

    func run() throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("facemirror-bench-\(getpid())")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        var results: [ModelBenchmark] = []
        for model in models {
            do {
                let r = try ModelBenchmark.run(modelPath: model, threads: threads, runs: runs, warmup: warmup,
                                               inputShape: shape.flatMap(parsedShape), workDirectory: work)
                results.append(r)
                if !json {
                    print(String(format: "%@  input %@  threads %d  runs %d\n  median %.2f ms  p10 %.2f  p90 %.2f  |  ORT's own median %.2f ms  |  binding overhead %+.2f %%",
                                 URL(fileURLWithPath: model).lastPathComponent, r.inputShape.map(String.init).joined(separator: "x"),
                                 r.threads, r.runs, r.medianMs, r.p10Ms, r.p90Ms, r.ortMedianMs, r.overheadPercent))
                }
            } catch {
                FileHandle.standardError.write(Data("facemirror: error: \(error)\n".utf8))
                throw ExitCode.failure
            }
        }
        if json {
            let enc = JSONEncoder()
            enc.outputFormatting = [.prettyPrinted, .sortedKeys]
            enc.keyEncodingStrategy = .convertToSnakeCase
            print(String(decoding: try enc.encode(results), as: UTF8.self))
        }
    }
}
