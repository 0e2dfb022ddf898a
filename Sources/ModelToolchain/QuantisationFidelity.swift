import FaceModels
import Foundation
import ONNXProto
import OrtBinding

/// How far each quantised layer's int8 result is from float32 on real inputs, measured two ways:
/// - alone: the layer fed with the float32 network's own inputs (quantised as the int8 model quantises
///   them), so only this layer's rounding shows; evaluated node by node as the QDQ graph is written;
/// - in the network: the int8 model as ONNX Runtime runs it (integer kernels), compared at the same
///   tensor, so every earlier layer's error is included.
/// Cosine similarity and SQNR (signal-to-quantisation-noise ratio, 10·log10(Σx² / Σ(x−q)²)) over all
/// values of all inputs.
public enum QuantisationFidelity {
    public struct LayerFidelity: Sendable, Codable, Equatable {
        public let node: String
        public let op: String
        public let tensor: String
        public let cosineAlone: Double
        public let sqnrAloneDB: Double
        public let cosineInNetwork: Double
        public let sqnrInNetworkDB: Double
    }

    /// Running sums for cosine and SQNR between a reference and a test tensor.
    struct Agreement {
        var xx = 0.0, yy = 0.0, xy = 0.0, ee = 0.0
        mutating func add(_ x: [Float], _ y: [Float]) {
            for i in 0..<min(x.count, y.count) {
                let a = Double(x[i]), b = Double(y[i])
                xx += a * a; yy += b * b; xy += a * b; ee += (a - b) * (a - b)
            }
        }
        var cosine: Double { xx > 0 && yy > 0 ? xy / (xx * yy).squareRoot() : (xx == yy ? 1 : 0) }
        var sqnrDB: Double { ee > 0 ? 10 * log10(xx / ee) : .infinity }
    }

    static func aloneName(_ t: String) -> String { "\(t)__alone" }

    /// `float` is the graph that was quantised (after `Int8Quantizer.prepare`), `quantised` its QDQ form.
    public static func measure(float: ONNXFile, quantised: ONNXFile, feeds: [[String: Tensor]], workDirectory: URL) throws -> [LayerFidelity] {
        let plan = Int8Quantizer.Plan(float)
        let alone = aloneProbe(float: float, quantised: quantised, plan: plan)
        var results: [LayerFidelity] = []
        for group in ProbeModel.groups(plan.layers, tensors: { _ in 2 }) {
            var aloneSums = [Agreement](repeating: Agreement(), count: group.count), networkSums = aloneSums
            try ProbeModel.withSession(alone, extraOutputs: group.flatMap { [$0.output, aloneName($0.output)] }, workDirectory: workDirectory) { reference in
                try ProbeModel.withSession(quantised, extraOutputs: group.map { Int8Quantizer.dequantisedName($0.output) },
                                           workDirectory: workDirectory, optimization: .all) { integer in
                    for feed in feeds {
                        let a = try reference.run(feed), b = try integer.run(feed)
                        for (k, layer) in group.enumerated() {
                            guard let x = a[layer.output], let y = a[aloneName(layer.output)], let z = b[Int8Quantizer.dequantisedName(layer.output)] else {
                                throw ModelError.invalid(path: quantised.path, reason: "layer output \(layer.output) could not be read back")
                            }
                            aloneSums[k].add(x.values, y.values)
                            networkSums[k].add(x.values, z.values)
                        }
                    }
                }
            }
            for (k, layer) in group.enumerated() {
                results.append(LayerFidelity(node: layer.node, op: layer.op + (layer.relu ? "+Relu" : ""), tensor: layer.output,
                                             cosineAlone: aloneSums[k].cosine, sqnrAloneDB: aloneSums[k].sqnrDB,
                                             cosineInNetwork: networkSums[k].cosine, sqnrInNetworkDB: networkSums[k].sqnrDB))
            }
        }
        return results
    }

    /// The float graph plus, for every layer, a copy of its quantised node that reads the float graph's
    /// tensors through the int8 model's quantisation and writes `<output>__alone`.
    static func aloneProbe(float: ONNXFile, quantised: ONNXFile, plan: Int8Quantizer.Plan) -> ONNXFile {
        var probe = float
        var g = probe.model.graph
        let q = quantised.model.graph
        let floatInits = Set(g.initializer.map(\.name))
        g.initializer += q.initializer.filter { !floatInits.contains($0.name) }
        let constants = Set(q.initializer.map(\.name))
        // Weights and biases: the int8 model's own DequantizeLinear nodes.
        var added = q.node.filter { $0.opType == "DequantizeLinear" && constants.contains($0.input[0]) }
        let quantisedNode = Dictionary(q.node.filter { Int8Quantizer.computeOps.contains($0.opType) }.map { ($0.output[0], $0) }, uniquingKeysWith: { a, _ in a })
        let tensorOfDequantised = Dictionary(plan.scaleSource.keys.map { (Int8Quantizer.dequantisedName($0), $0) }, uniquingKeysWith: { a, _ in a })
        var requantised = Set<String>()
        /// The float tensor `t` quantised with the int8 model's scale for it.
        func requantise(_ t: String, into name: String) {
            guard requantised.insert(name).inserted, let s = plan.scaleSource[t] else { return }
            added.append(ONNXBuilder.node("QuantizeLinear", [t, Int8Quantizer.scaleName(s), Int8Quantizer.zeroName(s)], ["\(name)_q"], "\(name)_quantize"))
            added.append(ONNXBuilder.node("DequantizeLinear", ["\(name)_q", Int8Quantizer.scaleName(s), Int8Quantizer.zeroName(s)], [name], "\(name)_dequantize"))
        }
        for layer in plan.layers {
            guard var copy = quantisedNode[layer.nodeOutput] else { continue }
            copy.name += "__alone"
            copy.input = copy.input.map { input in
                guard let t = tensorOfDequantised[input] else { return input }
                requantise(t, into: "\(t)__alone_in")
                return "\(t)__alone_in"
            }
            var result = "\(layer.nodeOutput)__alone_raw"
            copy.output = [result]
            added.append(copy)
            if layer.relu {
                added.append(ONNXBuilder.node("Relu", [result], ["\(result)_relu"], "\(layer.node)__alone_relu"))
                result += "_relu"
            }
            guard let s = plan.scaleSource[layer.output] else { continue }
            added.append(ONNXBuilder.node("QuantizeLinear", [result, Int8Quantizer.scaleName(s), Int8Quantizer.zeroName(s)], ["\(result)_q"], "\(result)_quantize"))
            added.append(ONNXBuilder.node("DequantizeLinear", ["\(result)_q", Int8Quantizer.scaleName(s), Int8Quantizer.zeroName(s)], [aloneName(layer.output)], "\(result)_dequantize"))
        }
        g.node += added
        g.node = Float16Converter.topologicallySorted(g)
        g.valueInfo = []
        probe.model.graph = g
        probe.model.opsetImport = quantised.model.opsetImport
        probe.model.irVersion = quantised.model.irVersion
        return probe
    }
}
