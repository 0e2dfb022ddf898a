import FaceMirror
import Foundation
import ONNXProto
import OrtBinding

/// Static INT8 quantisation in QDQ form: Conv and Gemm weights as int8 with one scale per output
/// channel, their activations (inputs and outputs) as uint8 with scales from calibration — the
/// ranges each tensor takes on real inputs. ONNX Runtime fuses DequantizeLinear → Conv →
/// QuantizeLinear into QLinearConv, which runs on the CPU's int8 dot-product units (AVX-512 VNNI here).
public enum Int8Quantizer {
    static let float = Int32(Onnx_TensorProto.DataType.float.rawValue)
    static let int8 = Int32(Onnx_TensorProto.DataType.int8.rawValue)
    static let uint8 = Int32(Onnx_TensorProto.DataType.uint8.rawValue)
    static let int32 = Int32(Onnx_TensorProto.DataType.int32.rawValue)

    /// Ops through which ONNX Runtime keeps a quantised tensor quantised.
    static let followers: Set<String> = ["Relu", "LeakyRelu", "Clip", "MaxPool", "AveragePool", "Add", "Concat", "Resize", "Sigmoid", "Mul"]

    /// Ops whose definition is the same from opset 7 to 13, so a model can be moved up to opset 13.
    static let unchangedSince7: Set<String> = ["Conv", "Relu", "LeakyRelu", "Concat", "Reshape", "AveragePool", "Gemm", "Add", "Mul",
                                                "Sigmoid", "Flatten", "Transpose", "GlobalAveragePool", "Sub", "Div", "PRelu"]

    /// Range of a tensor over the calibration inputs.
    public struct Range: Sendable { public var min: Float; public var max: Float }

    /// Nodes quantised: Conv with a constant weight (and optional constant bias), Gemm with a constant B.
    static func quantisable(_ g: Onnx_GraphProto) -> [Int] {
        let inits = Set(g.initializer.map(\.name))
        return g.node.indices.filter { i in
            let n = g.node[i]
            guard n.input.count >= 2, inits.contains(n.input[1]) else { return false }
            if n.opType == "Conv" { return n.input.count < 3 || n.input[2].isEmpty || inits.contains(n.input[2]) }
            if n.opType == "Gemm" { return n.int("transA") == 0 && (n.input.count < 3 || inits.contains(n.input[2])) }
            return false
        }
    }

    /// The activation tensors whose ranges calibration must measure.
    public static func activations(_ file: ONNXFile) -> [String] {
        let g = file.model.graph
        var names: [String] = []
        for i in quantisable(g) {
            let n = g.node[i]
            for t in [n.input[0], n.output[0]] where !names.contains(t) { names.append(t) }
        }
        return names
    }

    /// Runs the float model on the calibration inputs with the activations as extra outputs.
    public static func calibrate(_ file: ONNXFile, inputs: [[String: Tensor]], workDirectory: URL) throws -> [String: Range] {
        var probe = file
        let wanted = activations(file)
        let existing = Set(probe.model.graph.output.map(\.name))
        for name in wanted where !existing.contains(name) {
            var v = Onnx_ValueInfoProto()
            v.name = name
            probe.model.graph.output.append(v)
        }
        let path = workDirectory.appendingPathComponent("calibrate-\(UUID().uuidString).onnx").path
        try probe.write(to: path)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var options = SessionOptions()
        options.optimization = .disabled
        let session = try InferenceSession(modelPath: path, options: options)
        var ranges: [String: Range] = [:]
        for feed in inputs {
            let out = try session.run(feed)
            for name in wanted {
                guard let t = out[name], let lo = t.values.min(), let hi = t.values.max() else { continue }
                let r = ranges[name] ?? Range(min: lo, max: hi)
                ranges[name] = Range(min: Swift.min(r.min, lo), max: Swift.max(r.max, hi))
            }
        }
        return ranges
    }

    /// The QDQ model for the calibrated ranges.
    public static func quantise(_ file: ONNXFile, ranges: [String: Range]) throws -> ONNXFile {
        guard file.externalDataFiles.isEmpty else {
            throw ModelError.invalid(path: file.path, reason: "models with external data files are not quantised")
        }
        var out = file
        var g = out.model.graph
        var initialisers = Dictionary(uniqueKeysWithValues: g.initializer.map { ($0.name, $0) })
        var newInits: [Onnx_TensorProto] = []
        var newNodes: [Onnx_NodeProto] = []
        var qdq: [String: String] = [:]  // float tensor → its fake-quantised copy
        var dequantisedWeights: [String: String] = [:]  // weights shared by several nodes are quantised once
        var weightScales: [String: [Float]] = [:]

        /// uint8 scale and zero point of a range (the range always holds 0, as QLinear ops need).
        func params(_ r: Range) -> (Float, UInt8) {
            let lo = Swift.min(r.min, 0), hi = Swift.max(r.max, 0)
            let scale = hi > lo ? (hi - lo) / 255 : 1
            return (scale, UInt8(Swift.max(0, Swift.min(255, (-lo / scale).rounded()))))
        }
        func fakeQuantised(_ name: String) throws -> String {
            if let q = qdq[name] { return q }
            guard let r = ranges[name] else { throw ModelError.invalid(path: file.path, reason: "no calibration range for \(name)") }
            let (scale, zero) = params(r)
            let s = scalarTensor("\(name)__scale", float, floats: [scale]), z = scalarTensor("\(name)__zero", uint8, bytes: [zero])
            newInits += [s, z]
            let q = node("QuantizeLinear", [name, s.name, z.name], ["\(name)__q"], "\(name)__quantize")
            let d = node("DequantizeLinear", [q.output[0], s.name, z.name], ["\(name)__dq"], "\(name)__dequantize")
            newNodes += [q, d]
            qdq[name] = d.output[0]
            return d.output[0]
        }

        let targets = quantisable(g)
        for i in targets {
            var n = g.node[i]
            let xName = n.input[0]
            n.input[0] = try fakeQuantised(xName)
            let w = initialisers[n.input[1]]!
            if dequantisedWeights[w.name] == nil {
                // Conv weights [M, C/g, k…]: one scale per output channel M (axis 0). Gemm B [K, N] (or [N, K]
                // with transB): one scale per output column.
                let axis = n.opType == "Conv" || (n.opType == "Gemm" && n.int("transB") != 0) ? 0 : 1
                let (tensors, dq, scales) = quantisedWeight(w, axis: axis)
                newInits += tensors
                newNodes.append(dq)
                dequantisedWeights[w.name] = dq.output[0]
                weightScales[w.name] = scales
            }
            n.input[1] = dequantisedWeights[w.name]!
            // Conv bias as int32 at scale x_scale · w_scale (what QLinearConv expects).
            if n.opType == "Conv", n.input.count > 2, !n.input[2].isEmpty, let b = initialisers[n.input[2]] {
                let xScale = params(ranges[xName]!).0
                let bScales = weightScales[w.name]!.map { $0 * xScale }
                let qb = zip(floats(b), bScales).map { Int32(($0 / $1).rounded()) }
                let values = rawTensor("\(b.name)__int32_\(i)", dims: b.dims, type: int32, data: qb.withUnsafeBytes { Data($0) })
                let scale = vectorTensor("\(b.name)__bscale_\(i)", floats: bScales)
                let zero = rawTensor("\(b.name)__bzero_\(i)", dims: [Int64(bScales.count)], type: int32, data: Data(count: 4 * bScales.count))
                newInits += [values, scale, zero]
                var dqb = node("DequantizeLinear", [values.name, scale.name, zero.name], ["\(b.name)__dq_\(i)"], "\(b.name)__dequantize_\(i)")
                dqb.attribute.append(intAttribute("axis", 0))
                newNodes.append(dqb)
                n.input[2] = dqb.output[0]
            }
            // The output goes through Q/DQ too when the network goes on in int8 (another quantised node or an
            // activation reads it), so that ORT fuses the node into QLinearConv. Heads that feed reshapes and
            // the outputs stay float: their wide ranges lose most to 8 bits.
            let y = n.output[0]
            let goesOnInInt8 = g.node.contains { c in
                c.input.contains(y) && (Int8Quantizer.followers.contains(c.opType) || (["Conv", "Gemm"].contains(c.opType) && c.input.first == y))
            }
            if goesOnInInt8, let yRange = ranges[y] {
                n.output[0] = "\(y)__float"
                let (scale, zero) = params(yRange)
                let s = scalarTensor("\(y)__scale", float, floats: [scale]), z = scalarTensor("\(y)__zero", uint8, bytes: [zero])
                newInits += [s, z]
                let qn = node("QuantizeLinear", [n.output[0], s.name, z.name], ["\(y)__q"], "\(y)__quantize")
                let dn = node("DequantizeLinear", [qn.output[0], s.name, z.name], [y], "\(y)__dequantize")
                newNodes += [qn, dn]
                qdq[y] = y  // its consumers already read the quantised values, under the tensor's own name
            }
            g.node[i] = n
        }
        for name in Set(targets.map { g.node[$0].input[1] }) { initialisers[name] = nil }
        g.initializer = g.initializer.filter { initialisers[$0.name] != nil } + newInits
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

    /// Symmetric int8 weights, one scale per channel along `axis` (0 or 1 of a 2-D+ tensor), and the
    /// DequantizeLinear node that turns them back into floats for the graph.
    static func quantisedWeight(_ w: Onnx_TensorProto, axis: Int) -> (tensors: [Onnx_TensorProto], dequantise: Onnx_NodeProto, scales: [Float]) {
        let values = floats(w)
        let channels = Int(w.dims[axis])
        let perChannel = values.count / channels
        func index(_ c: Int, _ k: Int) -> Int { axis == 0 ? c * perChannel + k : k * channels + c }
        var scales = [Float](repeating: 1, count: channels)
        var q = [Int8](repeating: 0, count: values.count)
        for c in 0..<channels {
            var m: Float = 0
            for k in 0..<perChannel { m = max(m, abs(values[index(c, k)])) }
            scales[c] = m > 0 ? m / 127 : 1
            for k in 0..<perChannel { q[index(c, k)] = Int8(max(-127, min(127, (values[index(c, k)] / scales[c]).rounded()))) }
        }
        let qw = rawTensor("\(w.name)__int8", dims: w.dims, type: int8, data: q.withUnsafeBytes { Data($0) })
        let scale = vectorTensor("\(w.name)__wscale", floats: scales)
        let zero = rawTensor("\(w.name)__wzero", dims: [Int64(channels)], type: int8, data: Data(count: channels))
        var dq = node("DequantizeLinear", [qw.name, scale.name, zero.name], ["\(w.name)__dq"], "\(w.name)__dequantize")
        dq.attribute.append(intAttribute("axis", Int64(axis)))
        return ([qw, scale, zero], dq, scales)
    }

    static func rawTensor(_ name: String, dims: [Int64], type: Int32, data: Data) -> Onnx_TensorProto {
        var t = Onnx_TensorProto()
        t.name = name
        t.dims = dims
        t.dataType = type
        t.rawData = data
        return t
    }

    static func floats(_ t: Onnx_TensorProto) -> [Float] { ONNXFile.floatValues(t) }

    static func scalarTensor(_ name: String, _ type: Int32, floats: [Float] = [], bytes: [UInt8] = []) -> Onnx_TensorProto {
        rawTensor(name, dims: [], type: type, data: type == float ? floats.withUnsafeBytes { Data($0) } : Data(bytes))
    }

    static func vectorTensor(_ name: String, floats: [Float]) -> Onnx_TensorProto {
        rawTensor(name, dims: [Int64(floats.count)], type: float, data: floats.withUnsafeBytes { Data($0) })
    }

    static func node(_ op: String, _ inputs: [String], _ outputs: [String], _ name: String) -> Onnx_NodeProto {
        var n = Onnx_NodeProto()
        n.opType = op
        n.input = inputs
        n.output = outputs
        n.name = name
        return n
    }

    static func intAttribute(_ name: String, _ value: Int64) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .int
        a.i = value
        return a
    }
}
