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

extension AUBaseline: ExpressibleByArgument {}

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

    /// The most elements an input given on the command line may have: 2²⁶ (256 MiB of float32, a batch of
    /// 1×3×4096×4096 with room to spare). The models' own tensors grow with the input; a typo such as
    /// 1x3x100000x100000 (120 GB) would otherwise end the process when it is allocated.
    static let maxElements = 1 << 26

    /// Nil when the shape is within `maxElements`, else the message, naming the option as given (`given`).
    func refusal(_ given: String) -> String? {
        var n = 1
        for d in dimensions {
            let (product, overflow) = n.multipliedReportingOverflow(by: d)
            if overflow || product > TensorShape.maxElements {
                return "\(given): more than \(TensorShape.maxElements) elements (\(TensorShape.maxElements >> 18) MiB of float32); give a smaller shape"
            }
            n = product
        }
        return nil
    }
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

    /// The first shape over `TensorShape.maxElements`, as a refusal.
    static func refusal(_ shapes: [InputShape]) -> String? {
        shapes.lazy.compactMap { $0.shape.refusal("--shape \($0.name)=\($0.shape)") }.first
    }

    /// Shapes by input name; a name given twice keeps the last.
    static func byName(_ shapes: [InputShape]) -> [String: [Int]] {
        Dictionary(shapes.map { ($0.name, $0.shape.dimensions) }, uniquingKeysWith: { _, last in last })
    }
}

extension Shard: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}
