import ArgumentParser
import ModelToolchain

struct ModelAnalyzeCommand: ReportingCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Opset, inputs and outputs, ops, parameters, multiply-accumulates and per-target problems of an ONNX model.",
        discussion: "MACs are counted for Conv, ConvTranspose, Gemm, MatMul and Einsum from the shapes ONNX Runtime computes in one run at the given input shapes (dynamic sizes default to 640, batch to 1).")

    @Argument(help: "The ONNX model.", completion: .file(extensions: ["onnx"]))
    var model: String

    @Option(name: .customLong("shape"), help: "Input shape for the MAC count, NAME=1x3x640x640 (repeatable).")
    var shapes: [InputShape] = []

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        if let refusal = InputShape.refusal(shapes) { throw ValidationError(refusal) }
    }

    func execute() throws {
        let analysis = try withScratchDirectory("analyse") {
            try ModelAnalysis.analyse(path: model, inputShapes: InputShape.byName(shapes), workDirectory: $0)
        }
        try printResult(analysis, text: analysis.text, json: json)
    }
}
