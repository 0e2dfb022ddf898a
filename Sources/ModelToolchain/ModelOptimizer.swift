import FaceModels
import FaceMirrorCore
import Foundation
import ONNXProto
import OrtBinding
import VisionBinding

/// `facemirror model optimize`: fixed input shapes, float16 weights and compute, ONNX Runtime's
/// offline graph optimisation; then old and new run side by side on the same inputs.
public enum ModelOptimizer {
    public struct OutputDifference: Sendable, Codable {
        public let input: String
        public let output: String
        public let maxAbs: Double
        public let meanAbs: Double
        public let maxAbsReference: Double
    }

    public struct Report: Sendable, Codable {
        public let input: String
        public let output: String
        public let bytesBefore: Int
        public let bytesAfter: Int
        public let fixedShapes: [String: [Int]]
        public let fp16: Bool
        /// With a dynamic batch: the largest difference between one run on a batch of 2 and two runs on 1.
        public var batchOfTwoMaxDiff: Double?
        public let int8CalibrationInputs: Int?
        /// Bits of the int8 weights' range (int8 only).
        public var int8WeightBits: Int?
        public let level: String
        public let differences: [OutputDifference]
        /// Per quantised layer, int8 against float32 on the first calibration inputs (int8 only).
        public var layers: [QuantisationFidelity.LayerFidelity]?
        public var fidelityInputs: Int?

        public var text: String {
            var out = [String(format: "%@ → %@: %.2f MiB → %.2f MiB (%.0f %%)", input, output, Double(bytesBefore) / 1_048_576,
                              Double(bytesAfter) / 1_048_576, 100 * Double(bytesAfter) / Double(max(bytesBefore, 1)))]
            var steps: [String] = []
            if !fixedShapes.isEmpty {
                steps.append("fixed " + fixedShapes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.map(String.init).joined(separator: "x"))" }.joined(separator: ", "))
            }
            if let d = batchOfTwoMaxDiff {
                steps.append(String(format: "first dimension of inputs and outputs dynamic (a batch of 2 against two runs of 1: max |diff| %.3g)", d))
            }
            if fp16 { steps.append("float16 weights and compute (float32 inputs/outputs)") }
            if let n = int8CalibrationInputs { steps.append("int8 QDQ (per-channel \(int8WeightBits ?? 8)-bit weights, activations calibrated on \(n) inputs)") }
            steps.append("ONNX Runtime graph optimisation: \(level)")
            out.append("steps: " + steps.joined(separator: "; "))
            out.append("old vs new on the same inputs (max |diff|, mean |diff|, max |old|):")
            for d in differences {
                out.append(String(format: "  %@ input, %@: max %.6g, mean %.6g (of %.4g)", d.input, d.output, d.maxAbs, d.meanAbs, d.maxAbsReference))
            }
            if let layers, !layers.isEmpty { out += fidelityText(layers) }
            return out.joined(separator: "\n") + "\n"
        }

        func fidelityText(_ layers: [QuantisationFidelity.LayerFidelity]) -> [String] {
            let ops = Dictionary(grouping: layers, by: \.op).map { "\($0.key) \($0.value.count)" }.sorted().joined(separator: ", ")
            let aloneWorst = layers.min { $0.cosineAlone < $1.cosineAlone }!, networkWorst = layers.min { $0.cosineInNetwork < $1.cosineInNetwork }!
            let good = layers.filter { $0.cosineAlone >= 0.99 }.count
            func median(_ v: [Double]) -> Double { Statistics.percentile(v.filter(\.isFinite), 50) ?? .nan }
            return [
                "int8 layers against float32 on \(fidelityInputs ?? 0) calibration input(s): \(layers.count) quantised (\(ops))",
                String(format: "  alone (each from float32 inputs): cosine ≥ 0.99 in %d of %d, lowest %.5f (%@); SQNR median %.1f dB, lowest %.1f dB",
                       good, layers.count, aloneWorst.cosineAlone, aloneWorst.tensor, median(layers.map(\.sqnrAloneDB)), layers.map(\.sqnrAloneDB).min()!),
                String(format: "  in the network (int8 kernels, errors carried): cosine median %.4f, lowest %.4f (%@); SQNR median %.1f dB, lowest %.1f dB",
                       median(layers.map(\.cosineInNetwork)), networkWorst.cosineInNetwork, networkWorst.tensor,
                       median(layers.map(\.sqnrInNetworkDB)), layers.map(\.sqnrInNetworkDB).min()!),
            ]
        }

        /// One row per quantised layer.
        public var layerCSV: String {
            var rows = ["node,op,tensor,cosine_alone,sqnr_alone_db,cosine_in_network,sqnr_in_network_db"]
            for l in layers ?? [] {
                rows.append([CSVField.text(l.node), CSVField.text(l.op), CSVField.text(l.tensor), String(format: "%.6f", l.cosineAlone), String(format: "%.2f", l.sqnrAloneDB),
                             String(format: "%.6f", l.cosineInNetwork), String(format: "%.2f", l.sqnrInNetworkDB)].joined(separator: ","))
            }
            return rows.joined(separator: "\n") + "\n"
        }
    }

    /// Inputs of the calibration set on which each quantised layer is compared with float32.
    public static let fidelityInputCount = 4

    /// `int8Calibration`: a video whose frames calibrate the activation ranges, and how many frames.
    /// Before any work: the result never goes over its own input, a link, a device or a folder, and over
    /// another existing file only with `overwrite`.
    static func checkOutput(_ output: String, input: String, overwrite: Bool) throws {
        let folder = URL(fileURLWithPath: output).deletingLastPathComponent().path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw ModelError.invalid(path: output, reason: "its folder \(folder) does not exist; the result is not written")
        }
        let existing = PathEntry.at(output)
        guard existing != .nothing else { return }
        guard case .regularFile(_, let device, let inode) = existing else {
            throw ModelError.invalid(path: output, reason: "is not a regular file (a link, a device or a folder); the result is not written there")
        }
        var source = stat()
        if stat(input, &source) == 0, UInt64(source.st_dev) == device, UInt64(source.st_ino) == inode {
            throw ModelError.invalid(path: output, reason: "is the input itself; write the result to another file")
        }
        guard overwrite else { throw ModelError.invalid(path: output, reason: "exists; --overwrite replaces it") }
    }

    public static func optimize(input: String, output: String, fixShapes: [String: [Int]] = [:], dynamicBatch: Bool = false, fp16: Bool = false,
                                int8Calibration: (video: String, frames: Int)? = nil, int8WeightBits: Int = Int8Quantizer.defaultWeightBits,
                                level: SessionOptions.Optimization = .basic, image: String? = nil, overwrite: Bool = false) throws -> Report {
        try checkOutput(output, input: input, overwrite: overwrite)
        var file = try ONNXFile(path: input)
        guard file.externalDataFiles.isEmpty else {
            throw ModelError.invalid(path: input, reason: "models with external data files (\(file.externalDataFiles.joined(separator: ", "))) are not rewritten")
        }
        guard !(fp16 && int8Calibration != nil) else {
            throw ModelError.invalid(path: input, reason: "choose float16 or int8, not both")
        }
        guard !(dynamicBatch && !fixShapes.isEmpty) else {
            throw ModelError.invalid(path: input, reason: "choose fixed shapes or a dynamic batch, not both")
        }
        if !fixShapes.isEmpty { try fix(&file, shapes: fixShapes) }
        if dynamicBatch { makeBatchDynamic(&file) }
        if fp16 { file = try Float16Converter.convert(file) }
        var calibrationCount: Int?
        var layers: [QuantisationFidelity.LayerFidelity]?
        var fidelityCount: Int?
        if let calibration = int8Calibration {
            let work = URL(fileURLWithPath: output).deletingLastPathComponent()
            let base = ".\(URL(fileURLWithPath: output).lastPathComponent)"
            let floatPath = work.appendingPathComponent("\(base).float-\(getpid()).onnx").path
            let basicPath = work.appendingPathComponent("\(base).basic-\(getpid()).onnx").path
            try file.write(to: floatPath)
            defer { try? FileManager.default.removeItem(atPath: floatPath); try? FileManager.default.removeItem(atPath: basicPath) }
            // ONNX Runtime's basic optimisation first: it folds each BatchNormalization into the convolution
            // before it and folds constants, so fewer and larger nodes are quantised.
            var basic = SessionOptions()
            basic.optimization = .basic
            basic.optimizedModelPath = basicPath
            let floatSession = try InferenceSession(modelPath: floatPath, options: basic)
            let prepared = Int8Quantizer.prepare(try ONNXFile(path: basicPath))
            let feeds = try CalibrationData.inputs(for: floatSession, video: calibration.video, frames: calibration.frames)
            let ranges = try Int8Quantizer.calibrate(prepared, inputs: feeds, workDirectory: work)
            file = try Int8Quantizer.quantise(prepared, ranges: ranges, weightBits: int8WeightBits)
            let fidelityFeeds = Array(feeds.prefix(fidelityInputCount))
            layers = try QuantisationFidelity.measure(float: prepared, quantised: file, feeds: fidelityFeeds, workDirectory: work)
            calibrationCount = feeds.count
            fidelityCount = fidelityFeeds.count
        }
        let outURL = URL(fileURLWithPath: output)
        let stage = outURL.deletingLastPathComponent().appendingPathComponent(".\(outURL.lastPathComponent).stage-\(getpid()).onnx").path
        let partial = outURL.deletingLastPathComponent().appendingPathComponent(".\(outURL.lastPathComponent).partial-\(getpid()).onnx").path
        defer { try? FileManager.default.removeItem(atPath: stage); try? FileManager.default.removeItem(atPath: partial) }
        try file.write(to: stage)

        // ONNX Runtime optimises the graph and saves the result.
        var options = SessionOptions()
        options.optimization = level
        options.optimizedModelPath = partial
        do {
            _ = try InferenceSession(modelPath: stage, options: options)
        } catch {
            throw ModelError.invalid(path: input, reason: "the rewritten model does not load in ONNX Runtime: \(ErrorText.describe(error))")
        }
        // With fixed inputs, the outputs' sizes are known too: write them into the graph.
        let old = try InferenceSession(modelPath: input)
        let new = try InferenceSession(modelPath: partial)
        let feeds = try inputs(for: old, fixed: fixShapes, image: image)
        if !fixShapes.isEmpty {
            var saved = try ONNXFile(path: partial)
            let results = try new.run(feeds[0].1)
            for i in saved.model.graph.output.indices {
                guard let t = results[saved.model.graph.output[i].name] else { continue }
                var shape = Onnx_TensorShapeProto()
                shape.dim = t.shape.map { var d = Onnx_TensorShapeProto.Dimension(); d.dimValue = Int64($0); return d }
                saved.model.graph.output[i].type.tensorType.shape = shape
            }
            try saved.write(to: partial)
        }
        let checked = try InferenceSession(modelPath: partial)
        let batchDiff = dynamicBatch ? try checkBatchOfTwo(old: old, new: checked, path: input) : nil
        var differences: [OutputDifference] = []
        for (label, feed) in feeds {
            let a = try old.run(feed), b = try checked.run(feed)
            for o in old.outputs {
                guard let x = a[o.name], let y = b[o.name], x.count == y.count else {
                    throw ModelError.invalid(path: output, reason: "output \(o.name) is missing or has another size after optimisation")
                }
                let d = zip(x.values, y.values).map { Double(abs($0 - $1)) }
                differences.append(OutputDifference(input: label, output: o.name, maxAbs: d.max() ?? 0, meanAbs: d.reduce(0, +) / Double(max(d.count, 1)),
                                                    maxAbsReference: Double(x.values.map(abs).max() ?? 0)))
            }
        }
        _ = try? FileManager.default.removeItem(atPath: output)
        try FileManager.default.moveItem(atPath: partial, toPath: output)
        let size = { (p: String) in (try FileManager.default.attributesOfItem(atPath: p)[.size] as? NSNumber)?.intValue ?? 0 }
        var report = Report(input: input, output: output, bytesBefore: try size(input), bytesAfter: try size(output), fixedShapes: fixShapes,
                            fp16: fp16, batchOfTwoMaxDiff: batchDiff, int8CalibrationInputs: calibrationCount, level: level.rawValue,
                            differences: differences, layers: layers, fidelityInputs: fidelityCount)
        if int8Calibration != nil { report.int8WeightBits = int8WeightBits }
        return report
    }

    /// Makes the first dimension of every input and output a named, free one ("batch"). Inner shapes
    /// are left to ONNX Runtime to infer again.
    static func makeBatchDynamic(_ file: inout ONNXFile) {
        let inits = Set(file.model.graph.initializer.map(\.name))
        func free(_ v: inout Onnx_ValueInfoProto) {
            guard !v.type.tensorType.shape.dim.isEmpty else { return }
            var d = Onnx_TensorShapeProto.Dimension()
            d.dimParam = "batch"
            v.type.tensorType.shape.dim[0] = d
        }
        for i in file.model.graph.input.indices where !inits.contains(file.model.graph.input[i].name) { free(&file.model.graph.input[i]) }
        for i in file.model.graph.output.indices { free(&file.model.graph.output[i]) }
        file.model.graph.valueInfo = []
    }

    /// Runs the new model on a batch of two inputs and the old one on each alone; they must agree (a graph
    /// with the batch of 1 written into a Reshape or Expand does not).
    static func checkBatchOfTwo(old: InferenceSession, new: InferenceSession, path: String) throws -> Double {
        var seed: UInt64 = 7
        var singles: [[String: Tensor]] = [[:], [:]]
        var pair: [String: Tensor] = [:]
        for info in old.inputs {
            let shape = info.shape.enumerated().map { i, d in d >= 0 ? Int(d) : (i == 0 ? 1 : 64) }
            guard shape.first == 1 else { throw ModelError.invalid(path: path, reason: "input \(info.name) \(info) does not start with a batch of 1") }
            for k in 0..<2 {
                singles[k][info.name] = Tensor(shape: shape, values: (0..<shape.reduce(1, *)).map { _ in
                    seed = seed &* 6364136223846793005 &+ 1442695040888963407
                    return Float(seed >> 40) / Float(1 << 23) - 1
                })
            }
            pair[info.name] = Tensor(shape: [2] + shape.dropFirst(), values: singles[0][info.name]!.values + singles[1][info.name]!.values)
        }
        let both: [String: Tensor]
        do {
            both = try new.run(pair)
        } catch {
            throw ModelError.invalid(path: path, reason: "a batch of 2 does not run (\(ErrorText.describe(error))): the graph has the batch of 1 written in")
        }
        let a = try old.run(singles[0]), b = try old.run(singles[1])
        var worst = 0.0
        for o in old.outputs {
            guard let x = a[o.name], let y = b[o.name], let z = both[o.name], z.count == x.count + y.count else {
                throw ModelError.invalid(path: path, reason: "output \(o.name) of a batch of 2 is not two outputs of 1: the graph mixes the batch")
            }
            let scale = Double((x.values + y.values).map(abs).max() ?? 0)
            let d = zip(x.values + y.values, z.values).map { Double(abs($0 - $1)) }.max() ?? 0
            guard d <= 1e-4 * max(1, scale) else {
                throw ModelError.invalid(path: path, reason: "output \(o.name) of a batch of 2 differs from two runs of 1 by \(d): the graph mixes the batch")
            }
            worst = max(worst, d)
        }
        return worst
    }

    /// Replaces the given inputs' dimensions by fixed sizes.
    static func fix(_ file: inout ONNXFile, shapes: [String: [Int]]) throws {
        for (name, dims) in shapes {
            guard let i = file.model.graph.input.firstIndex(where: { $0.name == name }) else {
                throw ModelError.invalid(path: file.path, reason: "no input \(name) (inputs: \(file.realInputs.map(\.name).joined(separator: ", ")))")
            }
            let current = ONNXFile.dims(file.model.graph.input[i])
            guard current.count == dims.count, zip(current, dims).allSatisfy({ if case .fixed(let n) = $0 { return n == $1 } else { return true } }) else {
                throw ModelError.invalid(path: file.path, reason: "shape \(dims) does not fit input \(name) \(current)")
            }
            var shape = Onnx_TensorShapeProto()
            shape.dim = dims.map { var d = Onnx_TensorShapeProto.Dimension(); d.dimValue = Int64($0); return d }
            file.model.graph.input[i].type.tensorType.shape = shape
        }
    }

    /// A random input and, where the model takes pictures, a real one: grace_hopper.jpg prepared as
    /// the matching spec prepares it (RetinaFace, STAR, MTL), or scaled to the input's size.
    static func inputs(for session: InferenceSession, fixed: [String: [Int]], image: String?) throws -> [(String, [String: Tensor])] {
        var random: [String: Tensor] = [:], real: [String: Tensor] = [:]
        var seed: UInt64 = 42
        var haveReal = true
        let photo = image.flatMap { try? Imaging.read(path: $0) }
        let faceBox = FaceBox(left: 174.04, top: 107.35, right: 358.52, bottom: 328.14)
        let landmarkKind = LandmarkModelKind.detect(session)
        for info in session.inputs {
            let shape: [Int] = fixed[info.name] ?? info.shape.enumerated().map { i, d in d >= 0 ? Int(d) : (i == 0 ? 1 : 640) }
            let values = (0..<shape.reduce(1, *)).map { _ -> Float in
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                return Float(seed >> 40) / Float(1 << 23) - 1
            }
            random[info.name] = Tensor(shape: shape, values: values)
            guard let photo, shape.count == 4, shape[0] == 1, shape[1] == 3 else { haveReal = false; continue }
            let (h, w) = (shape[2], shape[3])
            if landmarkKind == .star, photo.width == 512 {
                real[info.name] = try STARSpec.preprocess(photo, box: faceBox).tensor
            } else if landmarkKind == .pfld, photo.width == 512 {
                real[info.name] = try PFLDSpec.preprocess(photo, box: faceBox).tensor
            } else if info.name == MTLSpec.inputName, h == MTLSpec.size, w == MTLSpec.size, photo.width == 512 {
                real[info.name] = try MTLSpec.preprocess(photo, box: faceBox)
            } else if info.name == RetinaFaceSpec.inputName {
                real[info.name] = RetinaFaceSpec.preprocess(try Imaging.resize(photo, width: w, height: h))
            } else {
                real[info.name] = chwTensor(try Imaging.resize(photo, width: w, height: h), scale: 1.0 / 255, offsets: (0, 0, 0))
            }
        }
        return [("random", random)] + (haveReal && !real.isEmpty ? [("photo", real)] : [])
    }
}
