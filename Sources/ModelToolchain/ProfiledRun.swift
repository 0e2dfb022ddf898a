import Foundation
import OrtBinding

/// One run of a model with ONNX Runtime's profiler on, read back as the per-node kernel events:
/// how the toolchain learns node shapes (analyze) and placements (coverage) from ORT itself.
struct ProfiledRun {
    struct NodeEvent {
        let node: String
        let provider: String?
        let outputShapes: [[Int]]
    }

    /// Node events of one run on zero-filled inputs of the given shapes, in execution order.
    static func nodes(modelPath: String, options base: SessionOptions, shapes: [String: [Int]], workDirectory: URL) throws -> [NodeEvent] {
        var options = base
        options.profilingPrefix = workDirectory.appendingPathComponent("profile-\(UUID().uuidString)").path
        let session = try InferenceSession(modelPath: modelPath, options: options)
        _ = try session.run(Dictionary(uniqueKeysWithValues: shapes.map { ($0.key, Tensor(shape: $0.value)) }))
        let trace = try session.endProfiling()
        defer { try? FileManager.default.removeItem(atPath: trace) }
        let events = (try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: trace))) as? [[String: Any]]) ?? []
        var out: [NodeEvent] = []
        for e in events where (e["cat"] as? String) == "Node" {
            guard let name = e["name"] as? String, name.hasSuffix("_kernel_time"), let args = e["args"] as? [String: Any] else { continue }
            let shapes = (args["output_type_shape"] as? [[String: Any]] ?? []).map { ($0.values.first as? [NSNumber] ?? []).map(\.intValue) }
            out.append(NodeEvent(node: String(name.dropLast("_kernel_time".count)), provider: args["provider"] as? String, outputShapes: shapes))
        }
        return out
    }
}
