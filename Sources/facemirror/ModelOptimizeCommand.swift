import ArgumentParser
import FaceMirrorCore
import Foundation
import ModelToolchain
import OrtBinding

struct ModelOptimizeCommand: ReportingCommand {
    static let configuration = CommandConfiguration(
        commandName: "optimize",
        abstract: "Fix input shapes, convert to float16 or int8, run ONNX Runtime's offline graph optimisation; compare old and new.",
        discussion: "Float16 keeps float32 inputs and outputs (Cast nodes at the edges). It pays on GPU and Neural Engine providers; on ONNX Runtime's CPU provider it is not faster. Levels extended and all may save CPU-specific fused nodes: use them for the machine that optimised.")

    @Argument(help: "The model to optimise.", completion: .file(extensions: ["onnx"]))
    var input: String

    @Argument(help: "Where to write the result.", completion: .file(extensions: ["onnx"]))
    var output: String

    @Option(name: .customLong("fix-shape"), help: "Fix an input's size, NAME=1x3x256x256 (repeatable).")
    var fixShapes: [InputShape] = []

    @Flag(name: .customLong("dynamic-batch"), help: "Make the first dimension of inputs and outputs free, checked by a batch of 2 against two runs of 1 (lets `process` run MTL on both hemifaces at once).")
    var dynamicBatch = false

    @Flag(help: "Convert float32 weights and compute to float16.")
    var fp16 = false

    @Flag(help: "Quantise to int8 (QDQ: per-channel int8 weights, uint8 activations; Conv, Gemm, Add, Mul, Concat, Sigmoid, with MaxPool/Resize kept on integers); needs --calibration. Prints each layer's fidelity against float32.")
    var int8 = false

    @Option(help: "Video whose frames calibrate the int8 activation ranges.", completion: .file())
    var calibration: String?

    @Option(help: "Frames taken from the calibration video.")
    var calibrationFrames: Int = 16

    @Option(name: .customLong("int8-weight-bits"), help: ArgumentHelp("With --int8: bits of the weights' range, 7 (default) or 8.",
            discussion: "7 runs right on every x86 CPU: those without VNNI (AVX2, most AVX-512) saturate with 8-bit weights and lose accuracy. 8 gives one more bit of precision for CPUs with VNNI and for ARM."))
    var int8WeightBits: Int = Int8Quantizer.defaultWeightBits

    @Option(name: .customLong("layer-report"), help: "With --int8: write each quantised layer's cosine and SQNR against float32 to this CSV.", completion: .file(extensions: ["csv"]))
    var layerReport: String?

    @Option(help: "ONNX Runtime graph optimisation saved into the file: basic, extended or all.")
    var ortLevel: SessionOptions.Optimization = .basic

    @Option(help: "Picture for the comparison run.", completion: .file())
    var image: String = "/usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg"

    @Flag(help: "Replace an existing file at OUTPUT (never the input, a link or a device).")
    var overwrite = false

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        guard ortLevel != .disabled else { throw ValidationError("--ort-level must be basic, extended or all") }
        if int8 && calibration == nil { throw ValidationError("--int8 needs --calibration VIDEO (frames to measure activation ranges)") }
        if int8 && fp16 { throw ValidationError("choose --fp16 or --int8") }
        if dynamicBatch && !fixShapes.isEmpty { throw ValidationError("choose --fix-shape or --dynamic-batch") }
        if layerReport != nil && !int8 { throw ValidationError("--layer-report needs --int8") }
        guard int8WeightBits == 7 || int8WeightBits == 8 else { throw ValidationError("--int8-weight-bits must be 7 or 8") }
        if int8WeightBits != Int8Quantizer.defaultWeightBits && !int8 { throw ValidationError("--int8-weight-bits needs --int8") }
        guard calibrationFrames > 0 else { throw ValidationError("--calibration-frames must be positive") }
    }

    func execute() throws {
        let report = try ModelOptimizer.optimize(input: input, output: output, fixShapes: InputShape.byName(fixShapes), dynamicBatch: dynamicBatch, fp16: fp16,
                                                 int8Calibration: int8 ? calibration.map { ($0, calibrationFrames) } : nil, int8WeightBits: int8WeightBits,
                                                 level: ortLevel, image: FileManager.default.fileExists(atPath: image) ? image : nil, overwrite: overwrite)
        if let layerReport {
            do {
                try report.layerCSV.write(toFile: layerReport, atomically: true, encoding: .utf8)
            } catch {
                throw ValidationError("cannot write --layer-report \(layerReport): \(ErrorText.describe(error))")
            }
        }
        try printResult(report, text: report.text, json: json)
    }
}
