import FaceMirrorCore
import FaceMirror
import FileDigest
import Foundation
import ModelToolchain
import TestSupport
import XCTest

/// scripts/models/export_openface3.py on checkpoints written in OpenFace 3.0's formats with random weights (the
/// trained ones cannot be downloaded here): ONNX Runtime agrees with PyTorch, the files carry the seed
/// system's I/O contract, the manifest's hashes are the files', and `facemirror process --models` runs them.
final class OpenFace3ExportTests: XCTestCase {
    private func python() throws -> String {
        let python = Fixtures.repoRoot.appendingPathComponent(".exportenv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw XCTSkip("no export Python environment: run scripts/env/export_env.sh")
        }
        return python
    }

    private func script(_ name: String) -> String { Fixtures.repoRoot.appendingPathComponent("scripts/\(name)").path }

    /// (name, dims) of each input and output, "?" for a named (free) dimension.
    private func contract(_ path: String) throws -> (inputs: [String], outputs: [String]) {
        let file = try ONNXFile(path: path)
        let render = { (name: String, dims: [ModelAnalysis.Dim]) -> String in
            let shown = dims.map { d -> String in
                if case .fixed(let n) = d { return String(n) }
                return "?"
            }
            return "\(name)[\(shown.joined(separator: ","))]"
        }
        XCTAssertEqual(file.model.opsetImport.first { $0.domain.isEmpty || $0.domain == "ai.onnx" }?.version, 17, path)
        return (file.realInputs.map { render($0.name, ONNXFile.dims($0)) }, file.model.graph.output.map { render($0.name, ONNXFile.dims($0)) })
    }

    func testRandomWeightCheckpointsExportCheckAndRun() throws {
        let python = try python()
        let dir = try Fixtures.scratch(self)
        let weights = dir.appendingPathComponent("weights").path
        let models = dir.appendingPathComponent("models").path
        try Fixtures.run(python, [script("fixtures/random_openface3_checkpoints.py"), weights, "--image", Fixtures.photo])
        let export = try Fixtures.run(python, [script("models/export_openface3.py"), weights, models, "--check-image", Fixtures.photo])
        print(export.stderr.split(separator: "\n").filter { $0.contains("max |PyTorch - ORT|") }.joined(separator: "\n"))

        // The seed system's I/O contract (as the shared replicas, built from the same architectures).
        let expected: [String: (inputs: [String], outputs: [String])] = [
            ModelFolder.detectorFile: (["input[1,3,?,?]"], ["loc[1,?,4]", "conf[1,?,2]", "landms[1,?,10]"]),
            ModelFolder.landmarksFile: (["input_image[1,3,256,256]"], ["landmarks[1,98,2]"]),
            ModelFolder.auFile: (["input_face[1,3,224,224]"], ["emotion_output[1,8]", "gaze_output[1,2]", "au_output[1,8]"]),
        ]
        for (file, want) in expected {
            let got = try contract("\(models)/\(file)")
            XCTAssertEqual(got.inputs, want.inputs, file)
            XCTAssertEqual(got.outputs, want.outputs, file)
        }
        if let shared = Fixtures.shared() {
            let replicas = [ModelFolder.detectorFile: "retinaface_mnet025_replica.onnx", ModelFolder.landmarksFile: "star_wflw98_replica.onnx",
                            ModelFolder.auFile: "mtl_effnetb0_replica.onnx"]
            for (file, replica) in replicas {
                let theirs = try contract(shared.appendingPathComponent("models/replica/\(replica)").path)
                let ours = try contract("\(models)/\(file)")
                XCTAssertEqual(ours.inputs, theirs.inputs, file)
                XCTAssertEqual(ours.outputs, theirs.outputs, file)
            }
        }

        // The manifest: each file's SHA-256 and size, its checkpoint's, and a parity check within tolerance.
        let manifestData = try Data(contentsOf: URL(fileURLWithPath: "\(models)/manifest.json"))
        let manifest = try XCTUnwrap(JSONSerialization.jsonObject(with: manifestData) as? [String: Any])
        let files = try XCTUnwrap(manifest["files"] as? [String: [String: Any]])
        XCTAssertEqual(Set(files.keys), Set(expected.keys))
        let sources = [ModelFolder.detectorFile: "Alignment_RetinaFace.pth", ModelFolder.landmarksFile: "Landmark_98.pkl",
                       ModelFolder.auFile: "MTL_backbone.pth"]
        for (file, entry) in files {
            let path = "\(models)/\(file)"
            XCTAssertEqual(entry["sha256"] as? String, try FileDigest.sha256(ofFile: path), file)
            XCTAssertEqual(entry["bytes"] as? Int, try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int, file)
            XCTAssertEqual(entry["source"] as? String, sources[file])
            XCTAssertEqual(entry["source_sha256"] as? String, try FileDigest.sha256(ofFile: "\(weights)/\(sources[file]!)"), file)
            let parity = try XCTUnwrap(entry["parity"] as? [String: [String: Double]], file)
            XCTAssertEqual(parity.count, expected[file]!.outputs.count, file)
            for (output, check) in parity {
                let diff = try XCTUnwrap(check["max_abs_diff"]), allowed = try XCTUnwrap(check["allowed"])
                XCTAssertLessThanOrEqual(diff, allowed, "\(file) \(output)")
                XCTAssertGreaterThan(diff, 0, "\(file) \(output): two real runs differ a little")
            }
        }

        // The folder is what --models loads: the whole job runs on it.
        let clip = try Fixtures.sampleClip(frames: 4, in: dir)
        let out = dir.appendingPathComponent("out").path
        try Fixtures.run(Fixtures.cli(), ["process", clip, "--models", models, "-o", out, "--no-debug-video", "-q"])
        let left = try CSVTable(path: "\(out)/clip_left_mirrored.csv")
        let right = try CSVTable(path: "\(out)/clip_right_mirrored.csv")
        XCTAssertEqual(left.rows.count, 4)
        XCTAssertEqual(right.rows.count, 4)
        let landmarks = try CSVTable(path: "\(out)/clip_landmarks.csv")
        XCTAssertEqual(landmarks.rows.count, 4)
        XCTAssertTrue(landmarks.has("x_97"), "98 points: \(landmarks.header.suffix(3))")
        // MTL ran on the hemifaces: its AU columns hold numbers wherever a face was found.
        let found = landmarks.column("success").enumerated().filter { $0.element == 1 }.map(\.offset)
        XCTAssertFalse(found.isEmpty, "the random-weight detector found nothing on the sample")
        for row in found { XCTAssertTrue(left.column("AU12_r")[row].isFinite, "frame \(row)") }

        // And `model import --openface3` records them.
        let store = dir.appendingPathComponent("store").path
        let imported = try Fixtures.run(Fixtures.cli(), ["model", "import", "--openface3", "\(models)/\(ModelFolder.landmarksFile)"],
                                        environment: ["FACEMIRROR_MODELS": store])
        XCTAssertTrue(imported.stdout.contains(files[ModelFolder.landmarksFile]!["sha256"] as! String), imported.stdout)
    }

    /// A checkpoint lacking weights is refused (OpenFace's RetinaFace loader would keep random ones), and
    /// nothing is written; existing files are not replaced without --overwrite.
    func testIncompleteCheckpointIsRefusedAndNothingWritten() throws {
        let python = try python()
        let dir = try Fixtures.scratch(self)
        let weights = dir.appendingPathComponent("weights").path
        let models = dir.appendingPathComponent("models").path
        try FileManager.default.createDirectory(atPath: weights, withIntermediateDirectories: true)
        let truncate = """
            import sys, torch
            from openface.Pytorch_Retinaface.data import cfg_mnet
            from openface.Pytorch_Retinaface.models.retinaface import RetinaFace
            sd = RetinaFace(cfg=dict(cfg_mnet, pretrain=False), phase="test").state_dict()
            torch.save({k: v for k, v in sd.items() if not k.startswith("ClassHead")}, sys.argv[1])
            """
        try Fixtures.run(python, ["-c", truncate, "\(weights)/Alignment_RetinaFace.pth"])
        let refused = try Fixtures.run(python, [script("models/export_openface3.py"), weights, models, "--only", "retinaface"], allowFailure: true)
        XCTAssertEqual(refused.status, 1, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("weights are missing"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("ClassHead"), refused.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: models), [])

        // The parity check can fail: asked for agreement to 1e-12, nothing is written.
        let complete = dir.appendingPathComponent("complete").path
        try FileManager.default.createDirectory(atPath: complete, withIntermediateDirectories: true)
        try Fixtures.run(python, ["-c", truncate.replacingOccurrences(of: "if not k.startswith(\"ClassHead\")", with: ""), "\(complete)/Alignment_RetinaFace.pth"])
        let strict = try Fixtures.run(python, [script("models/export_openface3.py"), complete, models, "--only", "retinaface", "--tolerance", "1e-12"],
                                      allowFailure: true)
        XCTAssertEqual(strict.status, 1, strict.stderr)
        XCTAssertTrue(strict.stderr.contains("differ beyond the tolerance"), strict.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: models), [])

        let lacking = try Fixtures.run(python, [script("models/export_openface3.py"), weights, models], allowFailure: true)
        XCTAssertEqual(lacking.status, 2)
        XCTAssertTrue(lacking.stderr.contains("lacks Landmark_98.pkl, MTL_backbone.pth"), lacking.stderr)

        try Data("keep".utf8).write(to: URL(fileURLWithPath: "\(models)/\(ModelFolder.detectorFile)"))
        let kept = try Fixtures.run(python, [script("models/export_openface3.py"), weights, models, "--only", "retinaface"], allowFailure: true)
        XCTAssertEqual(kept.status, 2)
        XCTAssertTrue(kept.stderr.contains("--overwrite"), kept.stderr)
        XCTAssertEqual(try String(contentsOfFile: "\(models)/\(ModelFolder.detectorFile)", encoding: .utf8), "keep")
    }
}
