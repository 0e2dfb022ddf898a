import Foundation
import ONNXProto
import OrtBinding

/// A model run with some of its inner tensors as extra outputs, to read them (calibration ranges,
/// layer-by-layer comparisons). Many large tensors at once would all sit in memory together, so
/// callers read them in groups of about `tensorsPerSession`, one session per group.
enum ProbeModel {
    static let tensorsPerSession = 64

    /// Splits items into consecutive groups of at most `tensorsPerSession` tensors (an item with more
    /// tensors than that forms a group alone).
    static func groups<T>(_ items: [T], tensors: (T) -> Int) -> [[T]] {
        var out: [[T]] = [], current: [T] = [], count = 0
        for item in items {
            let n = tensors(item)
            if count + n > tensorsPerSession, !current.isEmpty { out.append(current); current = []; count = 0 }
            current.append(item)
            count += n
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    /// A session of `file` whose outputs are its own plus `extraOutputs`. `optimization` .disabled
    /// evaluates the graph node by node as written.
    static func withSession<R>(_ file: ONNXFile, extraOutputs: [String], workDirectory: URL, optimization: SessionOptions.Optimization = .disabled,
                               _ body: (InferenceSession) throws -> R) throws -> R {
        var probe = file
        let existing = Set(file.model.graph.output.map(\.name))
        for name in extraOutputs where !existing.contains(name) {
            var v = Onnx_ValueInfoProto()
            v.name = name
            probe.model.graph.output.append(v)
        }
        let path = workDirectory.appendingPathComponent(".probe-\(UUID().uuidString).onnx").path
        try probe.write(to: path)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var options = SessionOptions()
        options.optimization = optimization
        return try body(try InferenceSession(modelPath: path, options: options))
    }
}
