import FaceModels
import ArgumentParser
import FaceMirror
import MediaBinding
import OrtBinding
import Study

// The library's option values, read from the command line by name (help lists the choices).

extension ExecutionProvider: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

extension SessionOptions.Optimization: ExpressibleByArgument {}

extension LandmarkModelKind: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}

extension X264Preset: ExpressibleByArgument {}

extension LandmarkSmoothing: ExpressibleByArgument {}

extension RedoPolicy: ExpressibleByArgument {}

extension PipelineMode: ExpressibleByArgument {}

extension HemifaceLandmarkSource: ExpressibleByArgument {}

extension AUChoice: ExpressibleByArgument {}

/// A tensor shape written as dimensions joined by x: `1x3x720x1280`.
struct TensorShape: ExpressibleByArgument, CustomStringConvertible {
    let dimensions: [Int]

    init?(argument: String) {
        let dims = argument.split(separator: "x", omittingEmptySubsequences: false).map { Int($0) }
        guard !dims.isEmpty, dims.allSatisfy({ ($0 ?? 0) > 0 }) else { return nil }
        dimensions = dims.compactMap { $0 }
    }

    var description: String { dimensions.map(String.init).joined(separator: "x") }
    static var defaultCompletionKind: CompletionKind { .default }
}

/// A named input's shape: `input=1x3x640x640`.
struct InputShape: ExpressibleByArgument {
    let name: String
    let shape: TensorShape

    init?(argument: String) {
        let parts = argument.split(separator: "=", maxSplits: 1)
        guard parts.count == 2, !parts[0].isEmpty, let shape = TensorShape(argument: String(parts[1])) else { return nil }
        name = String(parts[0])
        self.shape = shape
    }

    /// Shapes by input name; a name given twice keeps the last.
    static func byName(_ shapes: [InputShape]) -> [String: [Int]] {
        Dictionary(shapes.map { ($0.name, $0.shape.dimensions) }, uniquingKeysWith: { _, last in last })
    }
}

extension Shard: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}
