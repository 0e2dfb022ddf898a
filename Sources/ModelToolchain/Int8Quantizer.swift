import FaceModels
import Foundation
import ONNXProto
import OrtBinding

/// Static INT8 quantisation in QDQ form, laid out so that ONNX Runtime can run the whole network on
/// integers: every compute node (Conv, Gemm, Add, Mul, Concat, Sigmoid) reads and writes tensors that
/// pass through QuantizeLinear → DequantizeLinear pairs, which ORT fuses into its integer kernels
/// (QLinearConv, QLinearAdd, …). Weights are int8 with one scale per output channel, activations
/// uint8 with ranges measured on real inputs (calibration).
///
/// What decides the speed is how much stays float *between* the integer kernels, since every float
/// island costs a DequantizeLinear, a QuantizeLinear and, for ORT's NHWC integer convolutions, two
/// transposes. So (found by profiling STAR, see docs/models.md, INT8):
/// - a Relu that alone reads a node's output is folded into that output's quantisation (range [0, max],
///   zero point 0), which ORT turns into nothing;
/// - MaxPool and Resize keep their input's scale, so ORT runs them on the uint8 values;
/// - a BatchNormalization that no convolution precedes (pre-activation blocks) becomes a depthwise 1×1
///   convolution (`prepare`), i.e. one more integer kernel instead of a float island;
/// - a bias is int32 at exactly input scale × weight scale, as QLinearConv requires; any other scale
///   makes ORT leave the convolution in float.
public enum Int8Quantizer {
    static let float = Int32(Onnx_TensorProto.DataType.float.rawValue)
    static let int8 = Int32(Onnx_TensorProto.DataType.int8.rawValue)
    static let uint8 = Int32(Onnx_TensorProto.DataType.uint8.rawValue)
    static let int32 = Int32(Onnx_TensorProto.DataType.int32.rawValue)

    /// Nodes run as integer kernels when their inputs and output are quantised.
    static let computeOps: Set<String> = ["Conv", "Gemm", "Add", "Mul", "Concat", "Sigmoid"]
    /// Nodes that move values without new arithmetic: their output keeps the input's scale and zero point.
    static let sameScaleOps: Set<String> = ["MaxPool", "Resize"]

    /// Ops whose definition is the same from opset 7 to 13, so a model can be moved up to opset 13.
    static let unchangedSince7: Set<String> = ["Conv", "Relu", "LeakyRelu", "Concat", "Reshape", "AveragePool", "Gemm", "Add", "Mul",
                                                "Sigmoid", "Flatten", "Transpose", "GlobalAveragePool", "Sub", "Div", "PRelu"]

    /// Range of a tensor over the calibration inputs.
    public struct Range: Sendable { public var min: Float; public var max: Float }

    /// One quantised compute node: the activations it reads and the tensor that carries its quantised
    /// result (a following Relu's output when that Relu alone reads it).
    public struct Layer: Sendable, Equatable {
        public let node: String
        /// The node's own first output (`output` differs when a Relu follows).
        public let nodeOutput: String
        public let op: String
        public let inputs: [String]
        public let output: String
        public let relu: Bool
    }

    /// What quantisation does to a graph: the layers, and for every tensor that gets a Q/DQ pair the
    /// tensor whose calibrated range sets its scale (itself, or for a MaxPool/Resize output its input's).
    public struct Plan: Sendable {
        public let layers: [Layer]
        public let scaleSource: [String: String]
        /// The tensors whose ranges calibration must measure, in graph order.
        public let activations: [String]

        public init(_ file: ONNXFile) {
            let g = file.model.graph
            let constants = Set(g.initializer.map(\.name) + g.node.filter { $0.opType == "Constant" }.flatMap(\.output))
            let graphOutputs = Set(g.output.map(\.name))
            var readers: [String: [Int]] = [:]
            for (i, n) in g.node.enumerated() { for name in Set(n.input) where !name.isEmpty { readers[name, default: []].append(i) } }
            var layers: [Layer] = []
            var source: [String: String] = [:]
            var order: [String] = []
            func quantise(_ t: String, by s: String) {
                if source[t] == nil { order.append(t) }
                source[t] = s
            }
            for n in g.node {
                if computeOps.contains(n.opType), let acts = Int8Quantizer.activationInputs(n, constants: constants) {
                    var out = n.output[0], relu = false
                    if let r = readers[out], r.count == 1, g.node[r[0]].opType == "Relu", !graphOutputs.contains(out) {
                        out = g.node[r[0]].output[0]
                        relu = true
                    }
                    // A result the graph hands out stays float (wide head ranges lose most to 8 bits); then only a
                    // convolution's weights are worth quantising.
                    if graphOutputs.contains(out) {
                        guard ["Conv", "Gemm"].contains(n.opType) else { continue }
                        for a in acts where source[a] == nil { quantise(a, by: a) }
                        continue
                    }
                    for a in acts where source[a] == nil { quantise(a, by: a) }
                    quantise(out, by: out)
                    layers.append(Layer(node: n.name, nodeOutput: n.output[0], op: n.opType, inputs: acts, output: out, relu: relu))
                } else if sameScaleOps.contains(n.opType), let s = source[n.input[0]], !graphOutputs.contains(n.output[0]) {
                    quantise(n.output[0], by: s)
                }
            }
            self.layers = layers
            scaleSource = source
            var seen = Set<String>()
            activations = order.compactMap { source[$0] }.filter { seen.insert($0).inserted }
        }
    }

    /// The activation inputs of a compute node that can run on integers, nil when it cannot: Conv with a
    /// constant weight (and bias), Gemm with constant B (and C) and no transposed A, element-wise nodes whose
    /// inputs are all activations.
    static func activationInputs(_ n: Onnx_NodeProto, constants: Set<String>) -> [String]? {
        switch n.opType {
        case "Conv":
            guard n.input.count >= 2, constants.contains(n.input[1]), n.input.count < 3 || n.input[2].isEmpty || constants.contains(n.input[2]),
                  !constants.contains(n.input[0]) else { return nil }
            return [n.input[0]]
        case "Gemm":
            guard n.input.count >= 2, n.int("transA") == 0, constants.contains(n.input[1]), n.input.count < 3 || constants.contains(n.input[2]),
                  !constants.contains(n.input[0]) else { return nil }
            return [n.input[0]]
        default:
            // Concat may join constants (e.g. coordinate channels): they are quantised like the rest.
            let allowed = { (t: String) in !t.isEmpty && (n.opType == "Concat" || !constants.contains(t)) }
            guard !n.input.isEmpty, n.input.allSatisfy(allowed), n.input.contains(where: { !constants.contains($0) }) else { return nil }
            var unique: [String] = []
            for i in n.input where !unique.contains(i) { unique.append(i) }
            return unique
        }
    }

    /// The activation tensors whose ranges calibration must measure.
    public static func activations(_ file: ONNXFile) -> [String] { Plan(file).activations }

    /// Rewrites every BatchNormalization with constant parameters on a picture-shaped (4-D) tensor as
    /// the depthwise 1×1 convolution it is (y = x·γ/√(σ²+ε) + β − μ·γ/√(σ²+ε) per channel), so that it
    /// runs as an integer kernel. A BatchNormalization right after a convolution is better folded into
    /// it: ONNX Runtime's basic optimisation does that first.
    public static func prepare(_ file: ONNXFile) -> ONNXFile {
        var out = file
        var g = out.model.graph
        var initialisers = Dictionary(g.initializer.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let producer = Dictionary(g.node.enumerated().flatMap { i, n in n.output.map { ($0, i) } }, uniquingKeysWith: { a, _ in a })
        let fourD = Set(g.input.filter { $0.type.tensorType.shape.dim.count == 4 }.map(\.name))
        /// Whether a tensor is 4-D, by walking back through shape-keeping ops to a convolution, pooling, resize or 4-D input.
        func isPicture(_ t: String, depth: Int = 0) -> Bool {
            if fourD.contains(t) { return true }
            guard depth < 64, let p = producer[t] else { return false }
            let n = g.node[p]
            switch n.opType {
            case "Conv", "MaxPool", "AveragePool", "Resize", "Upsample": return true
            case "Relu", "LeakyRelu", "Clip", "Sigmoid", "BatchNormalization", "Add", "Mul", "Concat", "Sub", "Div", "PRelu":
                return n.input.contains { !$0.isEmpty && initialisers[$0] == nil && isPicture($0, depth: depth + 1) }
            default: return false
            }
        }
        var added: [Onnx_TensorProto] = []
        for i in g.node.indices where g.node[i].opType == "BatchNormalization" {
            let n = g.node[i]
            guard n.input.count == 5, n.output.count == 1, isPicture(n.input[0]) else { continue }
            let parts = n.input[1...4].compactMap { initialisers[$0].map(floats) }
            guard parts.count == 4, Set(parts.map(\.count)).count == 1, let channels = parts.first?.count, channels > 0 else { continue }
            let epsilon = n.attribute.first { $0.name == "epsilon" }.map(\.f) ?? 1e-5
            let (gamma, beta, mean, variance) = (parts[0], parts[1], parts[2], parts[3])
            let scale = (0..<channels).map { gamma[$0] / (variance[$0] + epsilon).squareRoot() }
            let shift = (0..<channels).map { beta[$0] - mean[$0] * scale[$0] }
            let w = ONNXBuilder.rawTensor("\(n.name)__depthwise_w", dims: [Int64(channels), 1, 1, 1], type: float, data: scale.withUnsafeBytes { Data($0) })
            let b = vectorTensor("\(n.name)__depthwise_b", floats: shift)
            added += [w, b]
            initialisers[w.name] = w
            var conv = ONNXBuilder.node("Conv", [n.input[0], w.name, b.name], n.output, "\(n.name)__depthwise")
            conv.attribute = [ONNXBuilder.attribute("group", .int(Int64(channels))), ONNXBuilder.attribute("kernel_shape", .ints([1, 1]))]
            g.node[i] = conv
        }
        let used = Set(g.node.flatMap(\.input))
        g.initializer = g.initializer.filter { used.contains($0.name) } + added
        out.model.graph = g
        return out
    }

    /// Runs the float model on the calibration inputs with the activations as extra outputs.
    public static func calibrate(_ file: ONNXFile, inputs: [[String: Tensor]], workDirectory: URL) throws -> [String: Range] {
        var ranges: [String: Range] = [:]
        let initialisers = Dictionary(file.model.graph.initializer.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var measured: [String] = []
        for name in activations(file) {
            if let t = initialisers[name] {
                let v = floats(t)
                ranges[name] = Range(min: v.min() ?? 0, max: v.max() ?? 0)
            } else {
                measured.append(name)
            }
        }
        for group in ProbeModel.groups(measured, tensors: { _ in 1 }) {
            try ProbeModel.withSession(file, extraOutputs: group, workDirectory: workDirectory) { session in
                for feed in inputs {
                    let out = try session.run(feed)
                    for name in group {
                        guard let t = out[name], let lo = t.values.min(), let hi = t.values.max() else { continue }
                        let r = ranges[name] ?? Range(min: lo, max: hi)
                        ranges[name] = Range(min: Swift.min(r.min, lo), max: Swift.max(r.max, hi))
                    }
                }
            }
        }
        return ranges
    }

    /// uint8 scale and zero point of a range (the range always holds 0, as the integer kernels need).
    static func parameters(_ r: Range) -> (scale: Float, zero: UInt8) {
        let lo = Swift.min(r.min, 0), hi = Swift.max(r.max, 0)
        let scale = hi > lo ? (hi - lo) / 255 : 1
        return (scale, UInt8(Swift.max(0, Swift.min(255, (-lo / scale).rounded()))))
    }

    /// Names in the quantised graph: the float tensor's quantised and dequantised copies, its scale and zero point.
    static func quantisedName(_ t: String) -> String { "\(t)__q" }
    static func dequantisedName(_ t: String) -> String { "\(t)__dq" }
    static func scaleName(_ source: String) -> String { "\(source)__scale" }
    static func zeroName(_ source: String) -> String { "\(source)__zero" }

    /// Bits of the int8 weights' range. 7 by default: x86 CPUs without VNNI (AVX2, most AVX-512) multiply
    /// uint8 activations by int8 weights with VPMADDUBSW, which adds pairs of products into 16 bits and
    /// saturates when weights use the whole int8 range (255 × 127 × 2 > 32767): on such a CPU a small
    /// convolution net's largest error was 10 times larger with 8-bit weights than with 7 (0.26 against
    /// 0.03 of 2.25, and ONNX Runtime's own quantiser, `reduce_range`, the same). 8 suits VNNI and ARM.
    public static let defaultWeightBits = 7

    /// The QDQ model for the calibrated ranges, weights symmetric in `weightBits` bits (7 or 8).
    public static func quantise(_ file: ONNXFile, ranges: [String: Range], weightBits: Int = defaultWeightBits) throws -> ONNXFile {
        guard weightBits == 7 || weightBits == 8 else {
            throw ModelError.invalid(path: file.path, reason: "int8 weights take 7 or 8 bits, not \(weightBits)")
        }
        guard file.externalDataFiles.isEmpty else {
            throw ModelError.invalid(path: file.path, reason: "models with external data files are not quantised")
        }
        let plan = Plan(file)
        var out = file
        var g = out.model.graph
        let initialisers = Dictionary(g.initializer.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var newInits: [Onnx_TensorProto] = []
        var newNodes: [Onnx_NodeProto] = []

        // Activations: one Q/DQ pair per tensor; every reader of the tensor reads the dequantised copy.
        var madeScale = Set<String>()
        for t in plan.scaleSource.keys.sorted() {
            let s = plan.scaleSource[t]!
            guard let r = ranges[s] else { throw ModelError.invalid(path: file.path, reason: "no calibration range for \(s)") }
            if madeScale.insert(s).inserted {
                let (scale, zero) = parameters(r)
                newInits += [scalarTensor(scaleName(s), float, floats: [scale]), scalarTensor(zeroName(s), uint8, bytes: [zero])]
            }
            newNodes.append(ONNXBuilder.node("QuantizeLinear", [t, scaleName(s), zeroName(s)], [quantisedName(t)], "\(t)__quantize"))
            newNodes.append(ONNXBuilder.node("DequantizeLinear", [quantisedName(t), scaleName(s), zeroName(s)], [dequantisedName(t)], "\(t)__dequantize"))
        }
        for i in g.node.indices {
            g.node[i].input = g.node[i].input.map { plan.scaleSource[$0] != nil ? dequantisedName($0) : $0 }
        }

        // Weights (and Conv biases) of the convolutions and Gemms whose input is quantised.
        let constants = Set(initialisers.keys)
        var dequantisedWeights: [String: (name: String, scales: [Float])] = [:]
        var replacedWeights = Set<String>()
        for i in g.node.indices where ["Conv", "Gemm"].contains(g.node[i].opType) {
            var n = g.node[i]
            guard let xSource = plan.scaleSource[file.model.graph.node[i].input[0]], let w = initialisers[n.input[1]],
                  Int8Quantizer.activationInputs(file.model.graph.node[i], constants: constants) != nil else { continue }
            if dequantisedWeights[w.name] == nil {
                // Conv weights [M, C/g, k…]: one scale per output channel M (axis 0). Gemm B [K, N] (or [N, K]
                // with transB): one scale per output column.
                let axis = n.opType == "Conv" || (n.opType == "Gemm" && n.int("transB") != 0) ? 0 : 1
                let (tensors, dq, scales) = quantisedWeight(w, axis: axis, bits: weightBits)
                newInits += tensors
                newNodes.append(dq)
                dequantisedWeights[w.name] = (dq.output[0], scales)
                replacedWeights.insert(w.name)
            }
            let weight = dequantisedWeights[w.name]!
            n.input[1] = weight.name
            // Conv bias as int32 at exactly the input's scale times each channel's weight scale.
            if n.opType == "Conv", n.input.count > 2, !n.input[2].isEmpty, let b = initialisers[n.input[2]], let r = ranges[xSource] {
                let bScales = weight.scales.map { $0 * parameters(r).scale }
                let qb = zip(floats(b), bScales).map { Int32(clamping: Int64(($0 / $1).rounded())) }
                let values = ONNXBuilder.rawTensor("\(b.name)__int32_\(i)", dims: b.dims, type: int32, data: qb.withUnsafeBytes { Data($0) })
                let scale = vectorTensor("\(b.name)__bscale_\(i)", floats: bScales)
                let zero = ONNXBuilder.rawTensor("\(b.name)__bzero_\(i)", dims: [Int64(bScales.count)], type: int32, data: Data(count: 4 * bScales.count))
                newInits += [values, scale, zero]
                var dqb = ONNXBuilder.node("DequantizeLinear", [values.name, scale.name, zero.name], ["\(b.name)__dq_\(i)"], "\(b.name)__dequantize_\(i)")
                dqb.attribute.append(ONNXBuilder.attribute("axis", .int(0)))
                newNodes.append(dqb)
                n.input[2] = dqb.output[0]
            }
            g.node[i] = n
        }
        let stillRead = Set(g.node.flatMap(\.input))
        g.initializer = g.initializer.filter { !replacedWeights.contains($0.name) || stillRead.contains($0.name) } + newInits
        g.node = g.node + newNodes
        g.node = Float16Converter.topologicallySorted(g)
        g.valueInfo = []
        out.model.graph = g
        // DequantizeLinear with a per-channel axis needs opset 13. Older models are moved up when all their
        // ops mean the same in opset 13 as in theirs.
        for i in out.model.opsetImport.indices where out.model.opsetImport[i].domain.isEmpty && out.model.opsetImport[i].version < 13 {
            let others = Set(file.model.graph.node.map(\.opType)).subtracting(unchangedSince7)
            guard others.isEmpty else {
                throw ModelError.invalid(path: file.path, reason: "opset \(out.model.opsetImport[i].version) is too old for per-channel quantisation (13 or newer), and \(others.sorted().joined(separator: ", ")) changed meaning since")
            }
            out.model.opsetImport[i].version = 13
            out.model.irVersion = max(out.model.irVersion, 7)
        }
        return out
    }

    /// Symmetric int8 weights in `bits` bits (levels ±(2^(bits−1) − 1)), one scale per channel along `axis`
    /// (0 or 1 of a 2-D+ tensor), and the DequantizeLinear node that turns them back into floats for the graph.
    static func quantisedWeight(_ w: Onnx_TensorProto, axis: Int, bits: Int) -> (tensors: [Onnx_TensorProto], dequantise: Onnx_NodeProto, scales: [Float]) {
        let top = Float((1 << (bits - 1)) - 1)
        let values = floats(w)
        let channels = Int(w.dims[axis])
        let perChannel = values.count / channels
        func index(_ c: Int, _ k: Int) -> Int { axis == 0 ? c * perChannel + k : k * channels + c }
        var scales = [Float](repeating: 1, count: channels)
        var q = [Int8](repeating: 0, count: values.count)
        for c in 0..<channels {
            var m: Float = 0
            for k in 0..<perChannel { m = max(m, abs(values[index(c, k)])) }
            scales[c] = m > 0 ? m / top : 1
            for k in 0..<perChannel { q[index(c, k)] = Int8(max(-top, min(top, (values[index(c, k)] / scales[c]).rounded()))) }
        }
        let qw = ONNXBuilder.rawTensor("\(w.name)__int8", dims: w.dims, type: int8, data: q.withUnsafeBytes { Data($0) })
        let scale = vectorTensor("\(w.name)__wscale", floats: scales)
        let zero = ONNXBuilder.rawTensor("\(w.name)__wzero", dims: [Int64(channels)], type: int8, data: Data(count: channels))
        var dq = ONNXBuilder.node("DequantizeLinear", [qw.name, scale.name, zero.name], ["\(w.name)__dq"], "\(w.name)__dequantize")
        dq.attribute.append(ONNXBuilder.attribute("axis", .int(Int64(axis))))
        return ([qw, scale, zero], dq, scales)
    }

    static func floats(_ t: Onnx_TensorProto) -> [Float] { ONNXFile.floatValues(t) }

    static func scalarTensor(_ name: String, _ type: Int32, floats: [Float] = [], bytes: [UInt8] = []) -> Onnx_TensorProto {
        ONNXBuilder.rawTensor(name, dims: [], type: type, data: type == float ? floats.withUnsafeBytes { Data($0) } : Data(bytes))
    }

    static func vectorTensor(_ name: String, floats: [Float]) -> Onnx_TensorProto {
        ONNXBuilder.rawTensor(name, dims: [Int64(floats.count)], type: float, data: floats.withUnsafeBytes { Data($0) })
    }
}
