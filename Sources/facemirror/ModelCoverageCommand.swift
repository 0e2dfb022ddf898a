import ArgumentParser
import ModelToolchain

struct ModelCoverageCommand: ReportingCommand {
    static let configuration = CommandConfiguration(
        commandName: "coverage",
        abstract: "Nodes per execution provider and partitions, from ONNX Runtime's own placement (profiler).")

    @Argument(help: "The ONNX model.", completion: .file(extensions: ["onnx"]))
    var model: String

    @OptionGroup(title: "ONNX Runtime")
    var ort: OrtOptions

    @Option(name: .customLong("shape"), help: "Input shape, NAME=1x3x640x640 (repeatable; dynamic sizes default to 640).")
    var shapes: [InputShape] = []

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        if let refusal = InputShape.refusal(shapes) { throw ValidationError(refusal) }
    }

    func execute() throws {
        let coverage = try withScratchDirectory("coverage") {
            try ProviderCoverage.measure(modelPath: model, options: ort.session, inputShapes: InputShape.byName(shapes), workDirectory: $0)
        }
        try printResult(coverage, text: coverage.text, json: json)
    }
}
