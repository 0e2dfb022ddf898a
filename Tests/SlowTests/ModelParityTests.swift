import FaceModels
import FaceMirror
import FaceMirrorCore
import Foundation
import OrtBinding
import VisionBinding
import TestSupport
import XCTest

/// The OpenFace 3.0 stack against its Python reference: the architecture replicas (random weights)
/// in ../shared/models/replica and the reference tensors computed from grace_hopper.jpg by OpenFace
/// 3.0's own pre-processing. Skipped, with the reason printed, when the shared folder is absent.
final class ModelParityTests: XCTestCase {
    /// The face box the trained RetinaFace finds in grace_hopper.jpg (the golden files' box).
    static let graceBox = FaceBox(left: 174.04, top: 107.35, right: 358.52, bottom: 328.14)

    private func replica(_ file: String) throws -> (model: String, golden: (String) throws -> Tensor) {
        let model = try Fixtures.requireShared(file: "models/replica/\(file)", "the replicas and golden tensors are not available")
        let dir = URL(fileURLWithPath: model).deletingLastPathComponent()
        return (model, { try Npy.load(dir.appendingPathComponent("golden/\($0).npy").path) })
    }

    private func maxAbs(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count, "\(a.count) vs \(b.count)")
        return zip(a, b).map { abs($0 - $1) }.max() ?? 0
    }

    func testRetinaFaceReplicaMatchesTheReference() throws {
        let r = try replica("retinaface_mnet025_replica.onnx")
        let photo = try Imaging.read(path: Fixtures.photo)
        let input = RetinaFaceSpec.preprocess(photo)
        XCTAssertEqual(input.shape, [1, 3, 600, 512])
        let session = try InferenceSession(modelPath: r.model)
        let out = try session.run([RetinaFaceSpec.inputName: input])
        for name in ["loc", "conf", "landms"] {
            let golden = try r.golden("retinaface_grace_hopper_\(name)")
            XCTAssertEqual(out[name]!.shape, golden.shape, name)
            let d = maxAbs(out[name]!.values, golden.values)
            print("RetinaFace \(name): max |Swift − reference| = \(d)")
            XCTAssertLessThanOrEqual(d, 1e-4, name)
        }
        XCTAssertEqual(RetinaFaceSpec.priorCount(width: 512, height: 600), out["loc"]!.shape[1])
    }

    func testSTARReplicaMatchesTheReference() throws {
        let r = try replica("star_wflw98_replica.onnx")
        let photo = try Imaging.read(path: Fixtures.photo)
        let (input, crop) = try STARSpec.preprocess(photo, box: Self.graceBox)
        // The crop matrix is OpenFace's to float precision.
        let m = try r.golden("star_grace_hopper_crop_matrix").values
        XCTAssertEqual(crop.s, Double(m[0]), accuracy: 1e-5)
        XCTAssertEqual(crop.tx, Double(m[2]), accuracy: 1e-3)
        XCTAssertEqual(crop.ty, Double(m[5]), accuracy: 1e-3)
        // The input tensor is the reference's to the bit: OpenFace's warp (cv2.warpPerspective, float32
        // matrix) and its float32 arithmetic, x / 255 · 2 − 1 (OpenCV 4.6 here, 4.11 in the reference).
        let goldenInput = try r.golden("star_grace_hopper_input")
        XCTAssertEqual(input.shape, goldenInput.shape)
        let dIn = maxAbs(input.values, goldenInput.values)
        let mean = zip(input.values, goldenInput.values).map { abs($0 - $1) }.reduce(0, +) / Float(input.count)
        print("STAR input: max |Swift − reference| = \(dIn * 255 / 2) grey levels, mean \(mean * 255 / 2)")
        XCTAssertEqual(dIn, 0)
        // Given the reference's own input, the outputs and the decoded landmarks match.
        let session = try InferenceSession(modelPath: r.model)
        XCTAssertEqual(session.inputs.map(\.name), [STARSpec.inputName])
        let out = try session.run([STARSpec.inputName: goldenInput])
        let landmarks = out[session.outputs.last!.name]!
        let goldenNorm = try r.golden("star_grace_hopper_landmarks_norm")
        let dOut = maxAbs(landmarks.values, goldenNorm.values)
        print("STAR output: max |Swift − reference| = \(dOut)")
        XCTAssertLessThanOrEqual(dOut, 1e-4)
        let goldenCrop = STARSpec.Crop(s: Double(m[0]), tx: Double(m[2]), ty: Double(m[5]))
        let points = try STARSpec.decode(landmarks, crop: goldenCrop)
        let px = try r.golden("star_grace_hopper_landmarks_px").values
        var dPx = 0.0
        for (i, p) in points.enumerated() {
            dPx = max(dPx, abs(p.x - Double(px[2 * i])), abs(p.y - Double(px[2 * i + 1])))
        }
        print("STAR landmarks: max |Swift − reference| = \(dPx) px")
        XCTAssertEqual(points.count, 98)
        XCTAssertLessThanOrEqual(dPx, 0.05)
        // The whole Swift chain (own crop, own decode) lands where the reference's own input does on this
        // machine. (Against the reference's landmarks the two differ by ONNX Runtime's kernels on another CPU:
        // 0.0022 px on an AVX2 machine against the AVX-512 one that made the golden data; bounded above.)
        let own = try STARSpec.decode(try session.run([STARSpec.inputName: input])[session.outputs.last!.name]!, crop: crop)
        var dOwn = 0.0
        for (i, p) in own.enumerated() { dOwn = max(dOwn, abs(p.x - points[i].x), abs(p.y - points[i].y)) }
        print("STAR, Swift pre-processing end to end: max \(dOwn) px from the golden input's landmarks")
        XCTAssertLessThanOrEqual(dOwn, 0.001)
    }

    func testMTLReplicaMatchesTheReference() throws {
        let r = try replica("mtl_effnetb0_replica.onnx")
        let photo = try Imaging.read(path: Fixtures.photo)
        let input = try MTLSpec.preprocess(photo, box: Self.graceBox)
        let goldenInput = try r.golden("mtl_grace_hopper_input")
        XCTAssertEqual(input.shape, goldenInput.shape)
        let dIn = maxAbs(input.values, goldenInput.values)
        print("MTL input: max |Swift − reference| = \(dIn) (one grey level is \(1 / 255 / 0.225))")
        XCTAssertLessThanOrEqual(dIn, 1 / 255 / 0.224)
        let session = try InferenceSession(modelPath: r.model)
        let out = try session.run([MTLSpec.inputName: goldenInput])
        for (name, file) in [("emotion_output", "emotion"), ("gaze_output", "gaze"), ("au_output", "au")] {
            let golden = try r.golden("mtl_grace_hopper_\(file)_output")
            let d = maxAbs(out[name]!.values, golden.values)
            print("MTL \(name): max |Swift − reference| = \(d)")
            XCTAssertLessThanOrEqual(d, 1e-4, name)
        }
        let own = try session.run([MTLSpec.inputName: input])
        for (name, file) in [("emotion_output", "emotion"), ("gaze_output", "gaze"), ("au_output", "au")] {
            XCTAssertLessThanOrEqual(maxAbs(own[name]!.values, try r.golden("mtl_grace_hopper_\(file)_output").values), 1e-3, "Swift input, \(name)")
        }
        let analysis = try MTLSpec.decode(emotion: out["emotion_output"]!, gaze: out["gaze_output"]!, actionUnits: out["au_output"]!)
        XCTAssertEqual(analysis.emotionProbabilities.reduce(0, +), 1, accuracy: 1e-9)
        XCTAssertEqual(analysis.actionUnitsRaw.count, 8)
    }
}
