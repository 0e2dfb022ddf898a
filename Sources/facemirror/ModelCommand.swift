import ArgumentParser
import FaceMirror
import Foundation

struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Model store (list, import, fetch, install) and toolchain (analyze, optimize, coverage).",
        discussion: "The store is one folder per user: FACEMIRROR_MODELS, else $XDG_DATA_HOME/facemirror/models (~/.local/share/facemirror/models).",
        subcommands: [List.self, Import.self, Fetch.self, Install.self, Analyze.self, Optimize.self, Coverage.self]
    )

    static func store() -> ModelStore { ModelStore(directory: ModelStore.defaultDirectory()) }

    static func fail(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("facemirror: error: \(message)\n".utf8))
        return ExitCode.failure
    }

    /// NAME=1x3x640x640 → (NAME, [1, 3, 640, 640]).
    static func parseShape(_ s: String) -> (String, [Int])? {
        let parts = s.split(separator: "=", maxSplits: 1)
        guard parts.count == 2 else { return nil }
        let dims = parts[1].split(separator: "x").map { Int($0) }
        guard !dims.isEmpty, !dims.contains(nil) else { return nil }
        return (String(parts[0]), dims.map { $0! })
    }

    struct Analyze: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Opset, inputs and outputs, ops, parameters, multiply-accumulates and per-target problems of an ONNX model.",
            discussion: "MACs are counted for Conv, ConvTranspose, Gemm, MatMul and Einsum from the shapes ONNX Runtime computes in one run at the given input shapes (dynamic sizes default to 640, batch to 1).")

        @Argument(help: "The ONNX model.", completion: .file(extensions: ["onnx"]))
        var model: String

        @Option(name: .customLong("shape"), help: "Input shape for the MAC count, NAME=1x3x640x640 (repeatable).")
        var shapes: [String] = []

        @Flag(help: "Print JSON.")
        var json = false

        func validate() throws {
            for s in shapes where ModelCommand.parseShape(s) == nil { throw ValidationError("--shape takes NAME=1x3x640x640, not \(s)") }
        }

        func run() throws {
            let given = Dictionary(shapes.compactMap(ModelCommand.parseShape), uniquingKeysWith: { _, b in b })
            let analysis: ModelAnalysis
            do {
                analysis = try withScratchDirectory("analyse") { try ModelAnalysis.analyse(path: model, inputShapes: given, workDirectory: $0) }
            } catch {
                throw ModelCommand.fail("\(error)")
            }
            if json {
                try printJSON(analysis)
            } else {
                print(analysis.text, terminator: "")
            }
        }
    }

    struct Optimize: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fix input shapes, convert to float16, run ONNX Runtime's offline graph optimisation; compare old and new.",
            discussion: "Float16 keeps float32 inputs and outputs (Cast nodes at the edges). It pays on GPU and Neural Engine providers; on ONNX Runtime's CPU provider it is not faster. Levels extended and all may save CPU-specific fused nodes: use them for the machine that optimised.")

        @Argument(help: "The model to optimise.", completion: .file(extensions: ["onnx"]))
        var input: String

        @Argument(help: "Where to write the result.", completion: .file(extensions: ["onnx"]))
        var output: String

        @Option(name: .customLong("fix-shape"), help: "Fix an input's size, NAME=1x3x256x256 (repeatable).")
        var fixShapes: [String] = []

        @Flag(help: "Convert float32 weights and compute to float16.")
        var fp16 = false

        @Flag(help: "Quantise Conv/Gemm to int8 (QDQ, per-channel weights); needs --calibration.")
        var int8 = false

        @Option(help: "Video whose frames calibrate the int8 activation ranges.", completion: .file())
        var calibration: String?

        @Option(help: "Frames taken from the calibration video.")
        var calibrationFrames: Int = 16

        @Option(help: "ONNX Runtime graph optimisation level: basic, extended or all.")
        var level: String = "basic"

        @Option(help: "Picture for the comparison run.", completion: .file())
        var image: String = "/usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg"

        @Flag(help: "Print JSON.")
        var json = false

        func validate() throws {
            for s in fixShapes where ModelCommand.parseShape(s) == nil { throw ValidationError("--fix-shape takes NAME=1x3x256x256, not \(s)") }
            guard ["basic", "extended", "all"].contains(level) else { throw ValidationError("--level must be basic, extended or all") }
            if int8 && calibration == nil { throw ValidationError("--int8 needs --calibration VIDEO (frames to measure activation ranges)") }
            if int8 && fp16 { throw ValidationError("choose --fp16 or --int8") }
            guard calibrationFrames > 0 else { throw ValidationError("--calibration-frames must be positive") }
        }

        func run() throws {
            let shapes = Dictionary(fixShapes.compactMap(ModelCommand.parseShape), uniquingKeysWith: { _, b in b })
            let report: ModelOptimizer.Report
            do {
                report = try ModelOptimizer.optimize(input: input, output: output, fixShapes: shapes, fp16: fp16,
                                                     int8Calibration: int8 ? calibration.map { ($0, calibrationFrames) } : nil,
                                                     level: SessionOptions.Optimization(rawValue: level)!,
                                                     image: FileManager.default.fileExists(atPath: image) ? image : nil)
            } catch {
                throw ModelCommand.fail("\(error)")
            }
            if json {
                try printJSON(report)
            } else {
                print(report.text, terminator: "")
            }
        }
    }

    struct Coverage: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Nodes per execution provider and partitions, from ONNX Runtime's own placement (profiler).")

        @Argument(help: "The ONNX model.", completion: .file(extensions: ["onnx"]))
        var model: String

        @Option(help: "Execution provider to ask for (CPU, CUDA, CoreML, ...).")
        var ep: String = "CPU"

        @Option(name: .customLong("shape"), help: "Input shape, NAME=1x3x640x640 (repeatable; dynamic sizes default to 640).")
        var shapes: [String] = []

        @Flag(help: "Print JSON.")
        var json = false

        func run() throws {
            let given = Dictionary(shapes.compactMap(ModelCommand.parseShape), uniquingKeysWith: { _, b in b })
            let coverage: ProviderCoverage
            do {
                coverage = try withScratchDirectory("coverage") {
                    try ProviderCoverage.measure(modelPath: model, provider: ep, inputShapes: given, workDirectory: $0)
                }
            } catch {
                throw ModelCommand.fail("\(error)")
            }
            if json {
                try printJSON(coverage)
            } else {
                print(coverage.text, terminator: "")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the stored models and those `fetch` can download.")

        func run() throws {
            let store = ModelCommand.store()
            let stored = try store.entries()
            print("model store: \(store.directory.path)")
            if stored.isEmpty { print("  (empty)") }
            for e in stored {
                let present = FileManager.default.fileExists(atPath: store.path(of: e)) ? "" : "  [file missing]"
                print("  \(e.name)  \(e.file)  \(e.bytes.map { "\($0) B" } ?? "")  sha256 \(e.sha256.prefix(12))…  \(e.licence)\(present)")
                print("      from \(e.source)")
            }
            print("available to fetch:")
            for e in try ModelCatalog.entries() {
                print("  \(e.name)  (\(e.licence))  \(e.note ?? "")")
            }
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Copy model files into the store, recording their SHA-256.")

        @Argument(help: "ONNX files.", completion: .file(extensions: ["onnx"]))
        var paths: [String]

        @Option(help: "Name to record (one file only; default: the file name without extension).")
        var name: String?

        @Option(help: "Licence to record.")
        var licence: String = "unknown"

        func validate() throws {
            if name != nil && paths.count > 1 { throw ValidationError("--name goes with a single file") }
        }

        func run() throws {
            let store = ModelCommand.store()
            var failed = false
            for path in paths {
                do {
                    let e = try store.importFile(path, name: name, licence: licence)
                    print("imported \(e.name): \(store.path(of: e)) sha256 \(e.sha256)")
                } catch {
                    FileHandle.standardError.write(Data("facemirror: error: \(error)\n".utf8))
                    failed = true
                }
            }
            if failed { throw ExitCode.failure }
        }
    }

    struct Install: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put a (e.g. optimised) model in the store under a name, keeping the file it replaces as a backup.",
            discussion: "If the new file later fails to load, `process` falls back to the backup and says so.")

        @Argument(help: "The new model file.", completion: .file(extensions: ["onnx"]))
        var model: String

        @Option(name: .customLong("as"), help: "The name to store it under.")
        var name: String

        func run() throws {
            let store = ModelCommand.store()
            do {
                let e = try store.install(model, as: name)
                print("installed \(e.name): \(store.path(of: e)) sha256 \(e.sha256)" + (e.backup.map { "; previous file kept as \($0)" } ?? ""))
            } catch {
                throw ModelCommand.fail("\(error)")
            }
        }
    }

    struct Fetch: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download models over HTTPS (resuming partial downloads), checking their SHA-256.",
            discussion: "Without NAME, every model `model list` shows as available. FACEMIRROR_MODEL_CATALOG names a JSON file replacing the built-in list.")

        @Argument(help: "Model names (see `facemirror model list`).")
        var names: [String] = []

        func run() throws {
            let catalog = try ModelCatalog.entries()
            let wanted = names.isEmpty ? catalog : try names.map { n in
                guard let e = catalog.first(where: { $0.name == n }) else {
                    throw ModelCommand.fail("unknown model \(n); known: \(catalog.map(\.name).joined(separator: ", "))")
                }
                return e
            }
            let store = ModelCommand.store()
            var failed = false
            for entry in wanted {
                let bar = DownloadProgress(label: entry.name)
                do {
                    let e = try store.fetch(entry) { done, total in bar.update(done: done, total: total) }
                    bar.finish()
                    print("fetched \(e.name): \(store.path(of: e)) sha256 \(e.sha256)")
                } catch {
                    bar.finish()
                    FileHandle.standardError.write(Data("facemirror: error: \(entry.name): \(error)\n".utf8))
                    failed = true
                }
            }
            if failed { throw ExitCode.failure }
        }
    }
}

/// Download progress on stderr (bytes and percentage), redrawn at most 5 times a second.
final class DownloadProgress: @unchecked Sendable {
    private let label: String
    private var last = Date.distantPast
    private let tty = isatty(STDERR_FILENO) != 0
    private let lock = NSLock()

    init(label: String) { self.label = label }

    func update(done: Int64, total: Int64?) {
        lock.lock(); defer { lock.unlock() }
        guard Date().timeIntervalSince(last) > (tty ? 0.2 : 2) else { return }
        last = Date()
        let pct = total.map { String(format: " %.0f%%", 100 * Double(done) / Double(max($0, 1))) } ?? ""
        let text = "\(label): \(done / 1024) KiB\(total.map { " of \($0 / 1024) KiB" } ?? "")\(pct)"
        FileHandle.standardError.write(Data((tty ? "\r\u{1B}[K" + text : text + "\n").utf8))
    }

    func finish() {
        if tty { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
