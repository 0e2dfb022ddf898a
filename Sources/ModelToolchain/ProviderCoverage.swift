import Foundation
import OrtBinding

/// Which execution provider ONNX Runtime placed each node on, from its own profiler: nodes per
/// provider and the partitions (maximal runs of consecutive nodes, in execution order, on one provider).
public struct ProviderCoverage: Sendable, Codable {
    public struct Partition: Sendable, Codable {
        public let provider: String
        public let nodes: Int
        public let first: String
        public let last: String
    }

    public let model: String
    public let requested: String
    public let nodes: Int
    public let perProvider: [String: Int]
    public let partitions: [Partition]
    public let available: [String]

    /// Share of the nodes on the requested provider, in percent.
    public var requestedShare: Double {
        let key = ExecutionProvider(name: requested)?.ortKey ?? requested
        return nodes > 0 ? 100 * Double(perProvider[key] ?? 0) / Double(nodes) : 0
    }

    public static func measure(modelPath: String, options: SessionOptions, inputShapes: [String: [Int]] = [:],
                               workDirectory: URL) throws -> ProviderCoverage {
        let file = try ONNXFile(path: modelPath)
        let shapes = try ModelAnalysis.concreteShapes(file, inputShapes)
        // One run: each node's kernel event once, in execution order.
        var placed: [(node: String, provider: String)] = []
        var seen = Set<String>()
        for e in try ProfiledRun.nodes(modelPath: modelPath, options: options, shapes: shapes, workDirectory: workDirectory) {
            if let p = e.provider, seen.insert(e.node).inserted { placed.append((e.node, p)) }
        }
        var perProvider: [String: Int] = [:]
        var partitions: [Partition] = []
        for (node, p) in placed {
            perProvider[p, default: 0] += 1
            if let last = partitions.last, last.provider == p {
                partitions[partitions.count - 1] = Partition(provider: p, nodes: last.nodes + 1, first: last.first, last: node)
            } else {
                partitions.append(Partition(provider: p, nodes: 1, first: node, last: node))
            }
        }
        return ProviderCoverage(model: modelPath, requested: options.provider.rawValue, nodes: placed.count, perProvider: perProvider,
                                partitions: partitions, available: try OrtRuntime.shared().availableProviders())
    }

    public var text: String {
        var out = ["\(model) on \(requested) (nodes after ONNX Runtime's graph optimisation): \(nodes) nodes, \(partitions.count) partition(s)"]
        for (p, n) in perProvider.sorted(by: { $0.value > $1.value }) {
            out.append(String(format: "  %@: %d nodes (%.1f %%)", p, n, 100 * Double(n) / Double(max(nodes, 1))))
        }
        if partitions.count > 1 {
            out.append("partitions:")
            for (i, p) in partitions.enumerated().prefix(40) {
                out.append("  \(i + 1). \(p.provider): \(p.nodes) nodes, \(p.first) … \(p.last)")
            }
        }
        out.append("providers in this build: \(available.joined(separator: ", "))")
        return out.joined(separator: "\n") + "\n"
    }
}
