import FaceMirrorCore
import Foundation
import ModelToolchain
import OrtBinding
import TestSupport
import XCTest

/// The ONNX Runtime binding on small models the tests build: values in and out, errors as Swift errors.
final class OrtBindingTests: XCTestCase {
    func testRunsAModelAndReportsItsSignature() throws {
        let dir = try Fixtures.scratch(self)
        let path = try TinyOnnx.write(TinyOnnx.scaleModel(shape: [1, -1, 3], factor: 2.5), to: dir, name: "scale.onnx")
        let session = try InferenceSession(modelPath: path)
        XCTAssertEqual(session.inputs, [TensorInfo(name: "x", elementType: .float32, shape: [1, -1, 3], dimensionNames: ["", "dim1", ""])])
        XCTAssertTrue(session.inputs[0].isDynamic)
        XCTAssertEqual(session.outputs.map(\.name), ["y"])
        let out = try session.run(["x": Tensor(shape: [1, 2, 3], values: [1, 2, 3, -4, 0.5, 0])])
        XCTAssertEqual(out["y"], Tensor(shape: [1, 2, 3], values: [2.5, 5, 7.5, -10, 1.25, 0]))
        let runtime = try OrtRuntime.shared()
        XCTAssertTrue(try runtime.availableProviders().contains("CPUExecutionProvider"))
        print("ONNX Runtime \(runtime.version) from \(runtime.libraryPath)")
    }

    func testEveryOptionIsAccepted() throws {
        let dir = try Fixtures.scratch(self)
        let path = try TinyOnnx.write(TinyOnnx.scaleModel(shape: [2], factor: 3), to: dir, name: "scale.onnx")
        for level in SessionOptions.Optimization.allCases {
            var o = SessionOptions()
            o.optimization = level
            o.intraOpThreads = 1
            o.allowSpinning = level == .basic
            XCTAssertEqual(try InferenceSession(modelPath: path, options: o).run(["x": Tensor(shape: [2], values: [1, 2])])["y"]?.values, [3, 6])
        }
        var profiled = SessionOptions()
        profiled.profilingPrefix = dir.appendingPathComponent("prof").path
        profiled.optimizedModelPath = dir.appendingPathComponent("optimised.onnx").path
        let session = try InferenceSession(modelPath: path, options: profiled)
        _ = try session.run(["x": Tensor(shape: [2], values: [1, 2])])
        let trace = try session.endProfiling()
        let events = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: trace))) as? [[String: Any]]
        XCTAssertTrue(events?.contains { ($0["cat"] as? String) == "Node" } ?? false, "profiling lists the nodes that ran")
        XCTAssertTrue(FileManager.default.fileExists(atPath: profiled.optimizedModelPath!))
    }

    func testFailuresAreSwiftErrorsWithORTsMessage() throws {
        let dir = try Fixtures.scratch(self)
        XCTAssertThrowsError(try InferenceSession(modelPath: dir.appendingPathComponent("none.onnx").path)) {
            XCTAssertTrue("\($0)".contains("none.onnx: model file not found"), "\($0)")
        }
        let text = try TinyOnnx.write(Data("not a model".utf8), to: dir, name: "text.onnx")
        XCTAssertThrowsError(try InferenceSession(modelPath: text)) {
            XCTAssertTrue("\($0)".hasPrefix("\(text): cannot load the model"), "\($0)")
        }
        let full = try TinyOnnx.scaleModel(shape: [2], factor: 3)
        let truncated = try TinyOnnx.write(full.prefix(full.count - 12), to: dir, name: "truncated.onnx")
        XCTAssertThrowsError(try InferenceSession(modelPath: truncated)) { XCTAssertTrue("\($0)".contains("cannot load"), "\($0)") }

        let good = try TinyOnnx.write(full, to: dir, name: "good.onnx")
        var o = SessionOptions()
        o.provider = .cuda
        XCTAssertThrowsError(try InferenceSession(modelPath: good, options: o)) { error in
            guard case OrtError.providerUnavailable(let provider, _, let available) = error else {
                return XCTFail("expected the provider to be missing from the build: \(error)")
            }
            XCTAssertEqual(provider, "CUDA")
            XCTAssertTrue(available.contains("CPUExecutionProvider"), "lists what the build has: \(error)")
            XCTAssertTrue("\(error)".contains("not in this ONNX Runtime build"), "\(error)")
        }
        XCTAssertNil(ExecutionProvider(name: "NoSuchProvider"))
        XCTAssertEqual(ExecutionProvider(name: "cudaexecutionprovider"), .cuda)
        XCTAssertEqual(ExecutionProvider(name: "coreml")?.ortKey, "CoreMLExecutionProvider")
        let session = try InferenceSession(modelPath: good)
        XCTAssertThrowsError(try session.run(["z": Tensor(shape: [2], values: [1, 2])])) { XCTAssertTrue("\($0)".contains("input x missing"), "\($0)") }
        XCTAssertThrowsError(try session.run(["x": Tensor(shape: [3], values: [1, 2, 3])])) { XCTAssertTrue("\($0)".contains("expects x float32[2]"), "\($0)") }
    }

    /// Provider options reach ONNX Runtime as given: parsed as KEY=VALUE, CoreML's flags as ORT's
    /// CoreML keys, refused for the CPU provider, and passed through the generic call to a provider this
    /// build has (Azure, which runs nothing itself: the model still runs on the CPU).
    func testProviderOptions() throws {
        XCTAssertEqual(ProviderOption("ModelFormat=MLProgram"), ProviderOption(key: "ModelFormat", value: "MLProgram"))
        XCTAssertEqual(ProviderOption("device_id = 1"), ProviderOption(key: "device_id", value: "1"))
        for bad in ["ModelFormat", "=1", "key=", ""] { XCTAssertNil(ProviderOption(bad), bad) }
        XCTAssertEqual(ProviderOption.coreML(format: "MLProgram", computeUnits: "CPUAndNeuralEngine", staticShapes: true).map(\.description),
                       ["ModelFormat=MLProgram", "MLComputeUnits=CPUAndNeuralEngine", "RequireStaticInputShapes=1"])
        XCTAssertEqual(ProviderOption.coreML(format: nil, computeUnits: nil, staticShapes: false), [])

        let dir = try Fixtures.scratch(self)
        let model = try TinyOnnx.write(TinyOnnx.scaleModel(shape: [2], factor: 3), to: dir, name: "scale.onnx")
        var cpu = SessionOptions()
        cpu.providerOptions = [ProviderOption(key: "x", value: "1")]
        XCTAssertThrowsError(try InferenceSession(modelPath: model, options: cpu)) { error in
            guard case OrtError.badProviderOption(let p, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(p, "CPU")
        }
        var azure = SessionOptions()
        azure.provider = .azure
        azure.providerOptions = [ProviderOption(key: "example_key", value: "example value")]
        let session = try InferenceSession(modelPath: model, options: azure)
        XCTAssertEqual(try session.run(["x": Tensor(shape: [2], values: [1, 2])])["y"]?.values, [3, 6])
    }

    func testOneSessionRunsFromSeveralThreadsAtOnce() throws {
        let dir = try Fixtures.scratch(self)
        let path = try TinyOnnx.write(TinyOnnx.scaleModel(shape: [1, -1, 64], factor: 2), to: dir, name: "scale.onnx")
        let session = try InferenceSession(modelPath: path)
        let results = ResultBox(count: 32)
        DispatchQueue.concurrentPerform(iterations: 32) { i in
            let x = Tensor(shape: [1, 100, 64], values: (0..<6400).map { Float($0 % 97 + i) })
            results.set(i, (try? session.run(["x": x]))?["y"]?.values == x.values.map { $0 * 2 })
        }
        XCTAssertEqual(results.values, [Bool](repeating: true, count: 32), "every concurrent run gives its own input times two")
    }

    func testAnEmptyTensorIsAnErrorOrAnEmptyResultNotACrash() throws {
        let dir = try Fixtures.scratch(self)
        let path = try TinyOnnx.write(TinyOnnx.scaleModel(shape: [-1], factor: 2), to: dir, name: "scale.onnx")
        let session = try InferenceSession(modelPath: path)
        do {
            let out = try session.run(["x": Tensor(shape: [0], values: [])])
            XCTAssertEqual(out["y"], Tensor(shape: [0], values: []))
        } catch let error as OrtError {
            XCTAssertTrue("\(error)".contains("input x"), "\(error)")
        }
    }

    func testLibraryLookupOrder() {
        XCTAssertEqual(OrtRuntime.candidatePaths(environment: ["FACEMIRROR_ORT_LIB": "/x/libort.so"], executable: "/bin/true"), ["/x/libort.so"])
        let paths = OrtRuntime.candidatePaths(environment: [:], executable: Fixtures.repoRoot.appendingPathComponent(".build/debug/x").path)
        XCTAssertEqual(paths.first, Fixtures.repoRoot.appendingPathComponent(".ort/lib/libonnxruntime.so").path, "project-local copy first")
        XCTAssertTrue(paths.contains("/opt/homebrew/lib/libonnxruntime.dylib"))
    }
}

/// `facemirror bench`'s measurement on a test-built model.
final class ModelBenchmarkTests: XCTestCase {
    func testPercentilesAndORTsOwnTime() throws {
        XCTAssertEqual(Statistics.percentile([4, 1, 3, 2], 50), 2.5)
        XCTAssertEqual(Statistics.percentile([1, 2, 3, 4, 5], 10), 1.4, accuracy: 1e-12)
        XCTAssertEqual(Statistics.percentile([7], 90), 7)
        let dir = try Fixtures.scratch(self)
        let path = try TinyOnnx.write(TinyOnnx.scaleModel(shape: [1, -1, 64], factor: 2), to: dir, name: "scale.onnx")
        let r = try ModelBenchmark.run(modelPath: path, options: Fixtures.oneThread, runs: 5, warmup: 1, inputShape: [1, 32, 64], workDirectory: dir)
        XCTAssertEqual(r.inputShape, [1, 32, 64])
        XCTAssertEqual(r.runs, 5)
        XCTAssertGreaterThan(r.ortMedianMs, 0, "ORT's profiler reported the runs")
        XCTAssertGreaterThanOrEqual(r.medianMs, r.ortMedianMs * 0.9)
        XCTAssertLessThanOrEqual(r.p10Ms, r.p90Ms)
        XCTAssertThrowsError(try ModelBenchmark.run(modelPath: path, options: Fixtures.oneThread, runs: 1, warmup: 0, inputShape: [2, 32, 64], workDirectory: dir))
        let profiles = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix("bench_profile") }
        XCTAssertEqual(profiles, [], "the profile is removed after reading")
    }
}

/// Results written by concurrent iterations, one slot each.
final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Bool]
    init(count: Int) { slots = [Bool](repeating: false, count: count) }
    func set(_ i: Int, _ v: Bool) { lock.lock(); slots[i] = v; lock.unlock() }
    var values: [Bool] { lock.lock(); defer { lock.unlock() }; return slots }
}
