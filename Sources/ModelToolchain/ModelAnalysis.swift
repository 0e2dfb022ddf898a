import FaceModels
import FaceMirrorCore
import Foundation
import ONNXProto
import OrtBinding

/// What `facemirror model analyze` reports about an ONNX file.
public struct ModelAnalysis: Sendable, Codable {
    public enum Dim: Sendable, Codable, Equatable, CustomStringConvertible {
        case fixed(Int)
        case named(String)
        public var description: String {
            switch self {
            case .fixed(let n): return String(n)
            case .named(let s): return s
            }
        }
    }

    public struct Value: Sendable, Codable {
        public let name: String
        public let elementType: String
        public let shape: [Dim]
    }

    public struct ParameterCount: Sendable, Codable {
        public let dtype: String
        public let tensors: Int
        public let elements: Int
        public let bytes: Int
    }

    public struct OpCount: Sendable, Codable {
        public let op: String
        public let nodes: Int
    }

    public struct MACs: Sendable, Codable {
        /// Input shapes the count was made for.
        public let inputShapes: [String: [Int]]
        public let perOp: [String: Int]
        public let total: Int
        /// Op types (and node counts) whose multiply-accumulates were not counted (elementwise,
        /// normalisation, pooling, data movement, …).
        public let notCounted: [String: Int]
        /// Why MACs could not be counted at all, when they could not.
        public let unavailable: String?
    }

    public let path: String
    public let irVersion: Int
    public let producer: String
    public let opsets: [String: Int]
    public let inputs: [Value]
    public let outputs: [Value]
    public let nodeCount: Int
    public let ops: [OpCount]
    public let parameters: [ParameterCount]
    public let externalData: [String]
    public let macs: MACs
    public let findings: [TargetSupport.Finding]

    public var parameterElements: Int { parameters.reduce(0) { $0 + $1.elements } }

    /// Ops whose multiply-accumulates are counted.
    public static let countedOps: Set<String> = ["Conv", "ConvTranspose", "Gemm", "MatMul", "Einsum"]

    /// Analyses `path`; MACs are counted for `inputShapes` (dynamic dimensions otherwise 1 for the
    /// first, 640 for the rest).
    public static func analyse(path: String, inputShapes: [String: [Int]] = [:], workDirectory: URL) throws -> ModelAnalysis {
        let file = try ONNXFile(path: path)
        let m = file.model, g = m.graph
        let value = { (v: Onnx_ValueInfoProto) in
            Value(name: v.name, elementType: ONNXFile.elementTypeName(v.type.tensorType.elemType), shape: ONNXFile.dims(v))
        }
        var opCounts: [String: Int] = [:]
        for n in g.node { opCounts[n.opType, default: 0] += 1 }
        var params: [String: (Int, Int, Int)] = [:]
        for t in g.initializer {
            let count = t.dims.reduce(1) { $0 * Int($1) }
            let name = ONNXFile.elementTypeName(t.dataType)
            let p = params[name] ?? (0, 0, 0)
            params[name] = (p.0 + 1, p.1 + count, p.2 + count * ONNXFile.bytesPerElement(t.dataType))
        }
        let macs: MACs
        do {
            macs = try countMACs(file, inputShapes: inputShapes, workDirectory: workDirectory)
        } catch {
            macs = MACs(inputShapes: inputShapes, perOp: [:], total: 0, notCounted: [:], unavailable: ErrorText.describe(error))
        }
        return ModelAnalysis(
            path: path, irVersion: Int(m.irVersion),
            producer: [m.producerName, m.producerVersion].filter { !$0.isEmpty }.joined(separator: " "),
            opsets: Dictionary(m.opsetImport.map { ($0.domain.isEmpty ? "ai.onnx" : $0.domain, Int($0.version)) }, uniquingKeysWith: max),
            inputs: file.realInputs.map(value), outputs: g.output.map(value), nodeCount: g.node.count,
            ops: opCounts.map { OpCount(op: $0.key, nodes: $0.value) }.sorted { ($0.nodes, $1.op) > ($1.nodes, $0.op) },
            parameters: params.map { ParameterCount(dtype: $0.key, tensors: $0.value.0, elements: $0.value.1, bytes: $0.value.2) }.sorted { $0.bytes > $1.bytes },
            externalData: file.externalDataFiles, macs: macs, findings: TargetSupport.check(file))
    }

    /// Concrete shapes for the model's inputs.
    static func concreteShapes(_ file: ONNXFile, _ given: [String: [Int]]) throws -> [String: [Int]] {
        var out: [String: [Int]] = [:]
        for input in file.realInputs {
            let dims = ONNXFile.dims(input)
            if let g = given[input.name] {
                guard g.count == dims.count, zip(dims, g).allSatisfy({ if case .fixed(let n) = $0 { return n == $1 } else { return true } }) else {
                    throw ModelError.invalid(path: file.path, reason: "shape \(g) does not fit input \(input.name) \(dims)")
                }
                out[input.name] = g
            } else {
                out[input.name] = dims.enumerated().map { i, d in if case .fixed(let n) = d { return n } else { return i == 0 ? 1 : 640 } }
            }
        }
        for name in given.keys where out[name] == nil {
            throw ModelError.invalid(path: file.path, reason: "the model has no input \(name)")
        }
        return out
    }

    /// Runs the model once in ONNX Runtime with graph optimisation off and profiling on: the profile
    /// records every node's output shapes, which with the weights' shapes give the MACs.
    static func countMACs(_ original: ONNXFile, inputShapes: [String: [Int]], workDirectory: URL) throws -> MACs {
        guard original.externalDataFiles.isEmpty else {
            throw ModelError.invalid(path: original.path, reason: "external data files are not read; MACs not counted")
        }
        let shapes = try concreteShapes(original, inputShapes)
        var file = original
        // Every node needs its own name to be found in the profile.
        var used = Set<String>()
        for i in file.model.graph.node.indices {
            var name = file.model.graph.node[i].name
            if name.isEmpty || used.contains(name) { name = "\(file.model.graph.node[i].opType)__node\(i)" }
            used.insert(name)
            file.model.graph.node[i].name = name
        }
        for input in file.realInputs where input.type.tensorType.elemType != 1 {
            throw ModelError.invalid(path: original.path, reason: "input \(input.name) is not float32; MACs not counted")
        }
        let copy = workDirectory.appendingPathComponent("analyse-\(UUID().uuidString).onnx").path
        try file.write(to: copy)
        defer { try? FileManager.default.removeItem(atPath: copy) }
        var options = SessionOptions()
        options.optimization = .disabled
        options.intraOpThreads = 1
        let events = try ProfiledRun.nodes(modelPath: copy, options: options, shapes: shapes, workDirectory: workDirectory)

        // Tensor name → shape: graph inputs, initializers, and every node's outputs from the profile.
        var shapeOf: [String: [Int]] = shapes
        for t in file.model.graph.initializer { shapeOf[t.name] = t.dims.map(Int.init) }
        var outputShapes: [String: [[Int]]] = [:]
        for e in events { outputShapes[e.node] = e.outputShapes }
        for n in file.model.graph.node {
            for (o, s) in zip(n.output, outputShapes[n.name] ?? []) { shapeOf[o] = s }
            if n.opType == "Constant", let t = n.attribute("value")?.t, let o = n.output.first { shapeOf[o] = t.dims.map(Int.init) }
        }
        var perOp: [String: Int] = [:], notCounted: [String: Int] = [:]
        for n in file.model.graph.node {
            guard countedOps.contains(n.opType) else { notCounted[n.opType, default: 0] += 1; continue }
            let ins = n.input.map { shapeOf[$0] }
            let out = n.output.first.flatMap { shapeOf[$0] }
            guard let macs = macsOf(n, inputs: ins, output: out) else {
                throw ModelError.invalid(path: original.path, reason: "no shapes for node \(n.name) (\(n.opType))")
            }
            perOp[n.opType, default: 0] += macs
        }
        return MACs(inputShapes: shapes, perOp: perOp, total: perOp.values.reduce(0, +), notCounted: notCounted, unavailable: nil)
    }

    /// Multiply-accumulates of one node from its input and output shapes.
    static func macsOf(_ n: Onnx_NodeProto, inputs: [[Int]?], output: [Int]?) -> Int? {
        func prod(_ s: ArraySlice<Int>) -> Int { s.reduce(1, *) }
        switch n.opType {
        case "Conv":
            // Every output element: C_in/group × kernel products.
            guard let out = output, inputs.count > 1, let w = inputs[1] else { return nil }
            return prod(out[...]) * prod(w.dropFirst())
        case "ConvTranspose":
            guard let x = inputs.first ?? nil, inputs.count > 1, let w = inputs[1] else { return nil }
            return prod(x[...]) * prod(w.dropFirst())
        case "Gemm":
            guard inputs.count > 1, let a = inputs[0], let b = inputs[1], a.count == 2, b.count == 2 else { return nil }
            let transA = n.int("transA") != 0, transB = n.int("transB") != 0
            let m = transA ? a[1] : a[0], k = transA ? a[0] : a[1], cols = transB ? b[0] : b[1]
            return m * k * cols
        case "MatMul":
            guard let out = output, let a = inputs.first ?? nil, let k = a.last else { return nil }
            return prod(out[...]) * k
        case "Einsum":
            // The product of every index's size: each combination of indices is one multiply-add.
            guard let eq = n.string("equation"), !eq.contains("...") else { return nil }
            let lhs = eq.components(separatedBy: "->")[0].replacingOccurrences(of: " ", with: "").split(separator: ",", omittingEmptySubsequences: false)
            guard lhs.count == inputs.count else { return nil }
            var size: [Character: Int] = [:]
            for (term, shape) in zip(lhs, inputs) {
                guard let shape, shape.count == term.count else { return nil }
                for (c, d) in zip(term, shape) { size[c] = max(size[c] ?? 1, d) }
            }
            return size.values.reduce(1, *)
        default:
            return nil
        }
    }

    /// The report as text.
    public var text: String {
        var out: [String] = []
        out.append("model: \(path)")
        out.append("IR version \(irVersion), opsets \(opsets.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))"
                   + (producer.isEmpty ? "" : ", produced by \(producer)"))
        func show(_ v: Value) -> String { "\(v.name)  \(v.elementType)[\(v.shape.map(\.description).joined(separator: ", "))]" }
        out.append("inputs:"); out += inputs.map { "  " + show($0) }
        out.append("outputs:"); out += outputs.map { "  " + show($0) }
        out.append("nodes: \(nodeCount)")
        out += ops.map { "  \($0.op.padding(toLength: 24, withPad: " ", startingAt: 0)) \($0.nodes)" }
        out.append("parameters: \(parameterElements) (\(String(format: "%.2f", Double(parameters.reduce(0) { $0 + $1.bytes }) / 1_048_576)) MiB)")
        out += parameters.map { "  \($0.dtype): \($0.elements) in \($0.tensors) tensors, \($0.bytes) bytes" }
        if !externalData.isEmpty { out.append("external data files: \(externalData.joined(separator: ", "))") }
        if let why = macs.unavailable {
            out.append("multiply-accumulates: not counted (\(why))")
        } else {
            let shapes = macs.inputShapes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.map(String.init).joined(separator: "x"))" }
            out.append(String(format: "multiply-accumulates: %.4f GMACs at %@", Double(macs.total) / 1e9, shapes.joined(separator: ", ")))
            out += macs.perOp.sorted { $0.value > $1.value }.map { String(format: "  %@ %.4f GMACs", $0.key, Double($0.value) / 1e9) }
            out.append("  not counted: " + macs.notCounted.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value))" }.joined(separator: ", "))
        }
        for target in TargetSupport.Target.allCases {
            let f = findings.filter { $0.target == target }
            out.append("\(target.rawValue): " + (f.isEmpty ? "nothing known to be a problem" : "\(f.count) problem(s)"))
            for x in f {
                let nodes = x.nodes.prefix(6).joined(separator: ", ") + (x.nodes.count > 6 ? ", … (\(x.nodes.count) nodes)" : "")
                out.append("  \(x.what): \(x.reason) — \(nodes)")
            }
        }
        return out.joined(separator: "\n") + "\n"
    }
}
