import FaceModels
import Foundation
import ONNXProto

/// IEEE half precision from single precision, rounding to nearest even (overflow → ±inf).
public func halfBits(_ value: Float) -> UInt16 {
    let bits = value.bitPattern
    let sign = UInt16((bits >> 16) & 0x8000)
    let exponent = Int((bits >> 23) & 0xFF)
    var mantissa = bits & 0x7F_FFFF
    if exponent == 0xFF { return sign | 0x7C00 | (mantissa != 0 ? 0x200 : 0) }  // inf / nan
    let e = exponent - 127 + 15
    if e >= 31 { return sign | 0x7C00 }
    if e <= 0 {
        if e < -10 { return sign }  // below the smallest subnormal
        mantissa |= 0x80_0000
        let shift = UInt32(14 - e)
        var half = mantissa >> shift
        let rest = mantissa & ((1 << shift) - 1), halfway = UInt32(1) << (shift - 1)
        if rest > halfway || (rest == halfway && half & 1 == 1) { half += 1 }
        return sign | UInt16(half)
    }
    var half = UInt32(e) << 10 | (mantissa >> 13)
    let rest = mantissa & 0x1FFF
    if rest > 0x1000 || (rest == 0x1000 && half & 1 == 1) { half += 1 }  // may carry into the exponent: still right
    return sign | UInt16(half)
}

/// Single precision from half precision bits.
public func floatFromHalf(_ h: UInt16) -> Float {
    let sign = UInt32(h & 0x8000) << 16
    let exponent = Int((h >> 10) & 0x1F)
    let mantissa = UInt32(h & 0x3FF)
    if exponent == 0 {
        return Float(bitPattern: sign) + (sign != 0 ? -1 : 1) * Float(mantissa) * Float(sign: .plus, exponent: -24, significand: 1)
    }
    if exponent == 31 { return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13)) }
    return Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | (mantissa << 13))
}

/// Converts a model's float32 weights and computation to float16, keeping float32 graph inputs and
/// outputs (Cast nodes at the edges) and float32 where ONNX requires it (Resize's roi and scales).
/// Cast nodes that produced float32 inside the graph now produce float16, so the types stay consistent
/// (a converter that leaves `Cast(to=FLOAT)` makes a graph ONNX Runtime refuses to load).
public enum Float16Converter {
    static let float = Int32(Onnx_TensorProto.DataType.float.rawValue)
    static let half = Int32(Onnx_TensorProto.DataType.float16.rawValue)

    /// (op type, input position) pairs that must stay float32.
    static let float32Inputs: Set<String> = ["Resize#1", "Resize#2", "Upsample#1"]

    public static func convert(_ file: ONNXFile) throws -> ONNXFile {
        guard file.externalDataFiles.isEmpty else {
            throw ModelError.invalid(path: file.path, reason: "models with external data files are not converted")
        }
        var out = file
        var g = out.model.graph
        // Tensors that must stay float32.
        var keep = Set<String>()
        for n in g.node {
            for (i, name) in n.input.enumerated() where float32Inputs.contains("\(n.opType)#\(i)") { keep.insert(name) }
        }
        for i in g.initializer.indices where g.initializer[i].dataType == float && !keep.contains(g.initializer[i].name) {
            g.initializer[i] = toHalf(g.initializer[i])
        }
        var extra: [Onnx_NodeProto] = []
        for i in g.node.indices {
            var n = g.node[i]
            switch n.opType {
            case "Constant":
                if let k = n.attribute.firstIndex(where: { $0.name == "value" }), n.attribute[k].t.dataType == float,
                   let o = n.output.first, !keep.contains(o) {
                    n.attribute[k].t = toHalf(n.attribute[k].t)
                }
            case "Cast":
                if let k = n.attribute.firstIndex(where: { $0.name == "to" }), n.attribute[k].i == Int64(float) {
                    n.attribute[k].i = Int64(half)
                }
            case "ConstantOfShape":
                if let k = n.attribute.firstIndex(where: { $0.name == "value" }), n.attribute[k].t.dataType == float {
                    n.attribute[k].t = toHalf(n.attribute[k].t)
                }
            default:
                break
            }
            // Inputs that must stay float32 but are computed in the graph: cast them back.
            for (j, name) in n.input.enumerated() where float32Inputs.contains("\(n.opType)#\(j)") && !name.isEmpty
                && !g.initializer.contains(where: { $0.name == name }) && !isConstantOutput(name, g) {
                let cast = "\(name)__to_fp32_\(i)"
                extra.append(castNode(from: name, to: cast, type: float, name: "fp32_cast_\(i)_\(j)"))
                n.input[j] = cast
            }
            g.node[i] = n
        }
        // Graph inputs stay float32: cast them to float16 where they are used.
        var front: [Onnx_NodeProto] = []
        for input in file.realInputs where input.type.tensorType.elemType == float {
            let renamed = input.name + "__fp16"
            front.append(castNode(from: input.name, to: renamed, type: half, name: "fp16_in_\(input.name)"))
            for i in g.node.indices { g.node[i].input = g.node[i].input.map { $0 == input.name ? renamed : $0 } }
            for i in extra.indices { extra[i].input = extra[i].input.map { $0 == input.name ? renamed : $0 } }
        }
        // Graph outputs stay float32: their producers write a float16 copy that is cast back.
        var back: [Onnx_NodeProto] = []
        for output in g.output where output.type.tensorType.elemType == float {
            let renamed = output.name + "__fp16"
            for i in g.node.indices {
                g.node[i].output = g.node[i].output.map { $0 == output.name ? renamed : $0 }
                g.node[i].input = g.node[i].input.map { $0 == output.name ? renamed : $0 }
            }
            back.append(castNode(from: renamed, to: output.name, type: float, name: "fp32_out_\(output.name)"))
        }
        g.node = front + g.node + extra + back
        g.node = topologicallySorted(g)
        // Intermediate types are inferred again by ONNX Runtime.
        g.valueInfo = []
        out.model.graph = g
        return out
    }

    static func isConstantOutput(_ name: String, _ g: Onnx_GraphProto) -> Bool {
        g.node.contains { $0.opType == "Constant" && $0.output.first == name }
    }

    static func castNode(from: String, to: String, type: Int32, name: String) -> Onnx_NodeProto {
        ONNXBuilder.node("Cast", [from], [to], name, attributes: [ONNXBuilder.attribute("to", .int(Int64(type)))])
    }

    static func toHalf(_ t: Onnx_TensorProto) -> Onnx_TensorProto {
        var out = t
        let values = ONNXFile.floatValues(t)
        var raw = Data(count: values.count * 2)
        raw.withUnsafeMutableBytes { dst in
            for (i, v) in values.enumerated() { dst.storeBytes(of: halfBits(v).littleEndian, toByteOffset: 2 * i, as: UInt16.self) }
        }
        out.floatData = []
        out.rawData = raw
        out.dataType = half
        return out
    }

    /// Nodes in an order where every input is produced before it is used (Cast nodes were appended).
    static func topologicallySorted(_ g: Onnx_GraphProto) -> [Onnx_NodeProto] {
        var available = Set(g.initializer.map(\.name) + g.input.map(\.name) + [""])
        var remaining = g.node
        var sorted: [Onnx_NodeProto] = []
        while !remaining.isEmpty {
            let before = remaining.count
            var next: [Onnx_NodeProto] = []
            for n in remaining {
                if n.input.allSatisfy({ available.contains($0) }) {
                    sorted.append(n)
                    n.output.forEach { available.insert($0) }
                } else {
                    next.append(n)
                }
            }
            remaining = next
            if remaining.count == before { return sorted + remaining }  // a cycle or a subgraph input: keep the rest as is
        }
        return sorted
    }
}
