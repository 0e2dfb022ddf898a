import Foundation
import ONNXProto

/// What is known not to run (or not to run well) on each deployment target, as data.
///
/// Sources (read 2026-11): ONNX Runtime's CoreML execution provider documentation (its list of
/// supported operators and their conditions), Apple's Core ML Tools guide on the Neural Engine
/// (dynamic shapes and some activations fall back to GPU/CPU), the TensorRT ONNX parser's operator
/// support matrix (onnx-tensorrt docs/operators.md) and ONNX Runtime's CPU provider kernel list.
public enum TargetSupport {
    public enum Target: String, CaseIterable, Sendable, Codable {
        case coreml = "CoreML (ANE)", tensorrt = "TensorRT", cpu = "CPU"
    }

    /// One rule: nodes of `op` (optionally only when `condition` holds) are a problem on `target`.
    public struct Rule: Sendable {
        public let target: Target
        public let op: String
        public let reason: String
        public let condition: (@Sendable (Onnx_NodeProto) -> Bool)?
    }

    static func attr(_ node: Onnx_NodeProto, _ name: String) -> String { node.string(name) ?? "" }

    public static let rules: [Rule] = [
        Rule(target: .coreml, op: "LayerNormalization", reason: "not in the CoreML EP's operator list: the graph is split around it", condition: nil),
        Rule(target: .coreml, op: "Gelu", reason: "not supported by the CoreML EP", condition: nil),
        Rule(target: .coreml, op: "Erf", reason: "not supported by the CoreML EP (GELU is usually exported as Erf)", condition: nil),
        Rule(target: .coreml, op: "InstanceNormalization", reason: "not supported by the CoreML EP", condition: nil),
        Rule(target: .coreml, op: "Einsum", reason: "not supported by the CoreML EP", condition: nil),
        Rule(target: .coreml, op: "TopK", reason: "not supported by the CoreML EP", condition: nil),
        Rule(target: .coreml, op: "NonZero", reason: "data-dependent output shape: no ANE", condition: nil),
        Rule(target: .coreml, op: "GreaterOrEqual", reason: "not supported by the CoreML EP", condition: nil),
        Rule(target: .coreml, op: "Where", reason: "not supported by the CoreML EP (NeuralNetwork format)", condition: nil),
        Rule(target: .coreml, op: "ReduceL2", reason: "not supported by the CoreML EP", condition: nil),
        Rule(target: .coreml, op: "Resize",
             reason: "only nearest and linear (bilinear) modes run on the CoreML EP",
             condition: { n in !["nearest", "linear", ""].contains(attr(n, "mode")) }),
        Rule(target: .coreml, op: "Resize",
             reason: "coordinate_transformation_mode tf_crop_and_resize is not supported by the CoreML EP",
             condition: { n in attr(n, "coordinate_transformation_mode") == "tf_crop_and_resize" }),
        Rule(target: .tensorrt, op: "NonZero", reason: "data-dependent output shape (plugin or TensorRT ≥ 8.5 only)", condition: nil),
        Rule(target: .tensorrt, op: "Loop", reason: "limited support: loops with data-dependent trip counts fail", condition: nil),
        Rule(target: .tensorrt, op: "Einsum", reason: "only some equations are supported by the parser", condition: nil),
        Rule(target: .tensorrt, op: "TopK", reason: "K must be a build-time constant ≤ 3840", condition: nil),
        Rule(target: .tensorrt, op: "Resize", reason: "cubic mode and tf_crop_and_resize are not supported",
             condition: { n in attr(n, "mode") == "cubic" || attr(n, "coordinate_transformation_mode") == "tf_crop_and_resize" }),
        Rule(target: .tensorrt, op: "ScatterND", reason: "only reduction 'none' is supported",
             condition: { n in !["", "none"].contains(attr(n, "reduction")) }),
    ]

    /// Activations built from several nodes that some targets do not fuse.
    public static let patterns: [(target: Target, name: String, reason: String)] = [
        (.coreml, "SiLU/Swish (x·sigmoid(x))", "runs as two ops and, on the ANE, is not fused: each element goes through memory twice"),
    ]

    public struct Finding: Sendable, Codable, Equatable {
        public let target: Target
        public let what: String
        public let reason: String
        public let nodes: [String]
    }

    public static func check(_ file: ONNXFile) -> [Finding] {
        let graph = file.model.graph
        var findings: [Finding] = []
        let names = graph.node.enumerated().map { i, n in n.name.isEmpty ? "\(n.opType)#\(i)" : n.name }
        // Rules by op type.
        for rule in rules {
            let hits = graph.node.enumerated().filter { _, n in n.opType == rule.op && (rule.condition?(n) ?? true) }.map { names[$0.offset] }
            if !hits.isEmpty { findings.append(Finding(target: rule.target, what: rule.op, reason: rule.reason, nodes: hits)) }
        }
        // SiLU: Mul whose inputs are x and Sigmoid(x).
        var sigmoidOf: [String: String] = [:]
        for n in graph.node where n.opType == "Sigmoid" { if let o = n.output.first, let i = n.input.first { sigmoidOf[o] = i } }
        let silu = graph.node.enumerated().filter { _, n in
            n.opType == "Mul" && n.input.count == 2
                && (sigmoidOf[n.input[0]] == n.input[1] || sigmoidOf[n.input[1]] == n.input[0])
        }.map { names[$0.offset] }
        if !silu.isEmpty, let p = patterns.first {
            findings.append(Finding(target: p.target, what: p.name, reason: p.reason, nodes: silu))
        }
        // Dynamic input shapes.
        let dynamic = file.realInputs.filter { ONNXFile.dims($0).contains { if case .named = $0 { return true } else { return false } } }.map(\.name)
        if !dynamic.isEmpty {
            findings.append(Finding(target: .coreml, what: "dynamic input shape", reason: "the ANE needs fixed shapes; fix them with `model optimize --fix-shape`", nodes: dynamic))
            findings.append(Finding(target: .tensorrt, what: "dynamic input shape", reason: "needs an optimisation profile (min/opt/max shapes) per dynamic input", nodes: dynamic))
        }
        // Ops from other domains than ONNX's own: not in ORT's CPU kernels unless registered.
        let custom = graph.node.enumerated().filter { _, n in !["", "ai.onnx", "com.microsoft"].contains(n.domain) }.map { names[$0.offset] }
        if !custom.isEmpty {
            findings.append(Finding(target: .cpu, what: "custom-domain ops", reason: "need their kernels registered with ONNX Runtime", nodes: custom))
        }
        return findings
    }
}
