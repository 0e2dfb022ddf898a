import FaceModels
import FaceMirror
import FaceMirrorCore
import Foundation
import OrtBinding
import TestSupport
import XCTest

/// Model pre/post-processing as pure functions, and decoding through real ORT on test-built models
/// whose outputs are known.
final class ModelSpecTests: XCTestCase {
    func testRetinaFacePriors() {
        XCTAssertEqual(RetinaFaceSpec.priorCount(width: 640, height: 640), 16_800)
        XCTAssertEqual(RetinaFaceSpec.priorCount(width: 1280, height: 720), 37_840)
        let p = RetinaFaceSpec.priors(width: 64, height: 32)
        XCTAssertEqual(p.count, RetinaFaceSpec.priorCount(width: 64, height: 32))
        // First cell of the stride-8 level, two sizes; then the next cell to the right.
        XCTAssertEqual(p[0].cx, 4.0 / 64); XCTAssertEqual(p[0].cy, 4.0 / 32)
        XCTAssertEqual(p[0].w, 16.0 / 64); XCTAssertEqual(p[1].w, 32.0 / 64); XCTAssertEqual(p[1].h, 32.0 / 32)
        XCTAssertEqual(p[2].cx, 12.0 / 64)
        // The stride-16 level starts after 8×4 cells × 2 anchors.
        XCTAssertEqual(p[64].cx, 8.0 / 64); XCTAssertEqual(p[64].w, 64.0 / 64)
    }

    func testNMSUsesThePlusOneAreaAndKeepsTheBest() {
        func det(_ x: Double, _ s: Double) -> Detection {
            Detection(box: FaceBox(left: x, top: 0, right: x + 9, bottom: 9, score: s), points: [])
        }
        // 10×10 boxes ("+1") shifted by 4 px overlap 60/140 = 0.43 > 0.4; shifted by 5 px: 50/150 = 0.33.
        let kept = RetinaFaceSpec.nonMaximumSuppression([det(0, 0.99), det(4, 0.98), det(100, 0.97), det(105, 0.96)], threshold: 0.4)
        XCTAssertEqual(kept.map(\.box.left), [0, 100, 105])
    }

    func testRetinaFaceShapedModelDecodesToTheExpectedBoxes() throws {
        let (w, h) = (64, 32)
        let n = RetinaFaceSpec.priorCount(width: w, height: h)
        var loc = [Float](repeating: 0, count: 4 * n), conf = [Float](repeating: 0, count: 2 * n)
        var landms = [Float](repeating: 0, count: 10 * n)
        for a in 0..<n { conf[2 * a] = 1 }
        // Anchor 0 (centre (4, 4) px, 16 px): shifted and stretched. Anchor 1 (same cell, 32 px): plain, lower score.
        loc[0] = 0.5; loc[1] = -0.25; loc[2] = Float(log(1.5) / 0.2); loc[3] = 0
        conf[1] = 0.95; conf[0] = 0.05
        conf[3] = 0.93; conf[2] = 0.07
        loc[6] = Float(log(0.75) / 0.2); loc[7] = loc[6]  // 24×24 around (4, 4): IoU 0.64 with anchor 0
        for k in 0..<5 { landms[2 * k] = Float(k); landms[2 * k + 1] = -Float(k) }
        // Anchor 70 (stride-16 level, 64 px at (56, 8), clear of the others): below the 0.9 threshold.
        conf[141] = 0.5
        let dir = try Fixtures.scratch(self)
        let model = try TinyOnnx.write(TinyOnnx.constantModel(input: ("input", [1, 3, -1, -1]), outputs: [
            ("loc", [1, n, 4], loc), ("conf", [1, n, 2], conf), ("landms", [1, n, 10], landms)]), to: dir, name: "retina.onnx")
        let session = try InferenceSession(modelPath: model)
        let out = try session.run([RetinaFaceSpec.inputName: RetinaFaceSpec.preprocess(Image(width: w, height: h))])
        let dets = try RetinaFaceSpec.decode(loc: out["loc"]!, conf: out["conf"]!, landmarks: out["landms"]!, width: w, height: h)
        // Anchor 0: centre 4 + 0.5·0.1·16 = 4.8, 4 − 0.25·0.1·16 = 3.6; size 16·1.5 = 24 by 16.
        // Anchor 1 (4 ± 12) overlaps anchor 0's box by more than 0.4 ("+1" areas) and is suppressed.
        XCTAssertEqual(dets.count, 1)
        let b = dets[0].box
        XCTAssertEqual(b.left, 4.8 - 12, accuracy: 1e-4); XCTAssertEqual(b.right, 4.8 + 12, accuracy: 1e-4)
        XCTAssertEqual(b.top, 3.6 - 8, accuracy: 1e-4); XCTAssertEqual(b.bottom, 3.6 + 8, accuracy: 1e-4)
        XCTAssertEqual(b.score, 0.95, accuracy: 1e-6)
        for k in 0..<5 {
            XCTAssertEqual(dets[0].points[k].x, 4 + Double(k) * 0.1 * 16, accuracy: 1e-4)
            XCTAssertEqual(dets[0].points[k].y, 4 - Double(k) * 0.1 * 16, accuracy: 1e-4)
        }
        // With OpenFace's own 0.02 threshold the third candidate appears too.
        let all = try RetinaFaceSpec.decode(loc: out["loc"]!, conf: out["conf"]!, landmarks: out["landms"]!, width: w, height: h,
                                            threshold: RetinaFaceSpec.referenceScoreThreshold)
        XCTAssertEqual(all.map { ($0.box.score * 100).rounded() }, [95, 50])
        XCTAssertThrowsError(try RetinaFaceSpec.decode(loc: out["loc"]!, conf: out["conf"]!, landmarks: out["landms"]!, width: 128, height: 32))
    }

    func testSTARCropAndDecode() throws {
        // A 200×100 box at (100, 50): centre (200, 100), scale = 100/200·1.05, s = 256/105.
        let crop = STARSpec.crop(for: FaceBox(left: 100.7, top: 50.2, right: 300.9, bottom: 150.99))
        XCTAssertEqual(crop.s, 256.0 / 105, accuracy: 1e-12)
        XCTAssertEqual(crop.tx, 127.5 - 256.0 / 105 * 200, accuracy: 1e-9)
        XCTAssertEqual(crop.ty, 127.5 - 256.0 / 105 * 100, accuracy: 1e-9)
        let dir = try Fixtures.scratch(self)
        var values = [Float](repeating: 0, count: 196)
        values[0] = -1; values[1] = -1  // → crop pixel −0.5
        values[2] = 1; values[3] = 1    // → 255.5
        values[4] = 0; values[5] = 0.5  // → 127.5, 191.5
        let model = try TinyOnnx.write(TinyOnnx.constantModel(input: ("input_image", [1, 3, 256, 256]), outputs: [("landmarks", [1, 98, 2], values)]),
                                       to: dir, name: "star.onnx")
        let image = Image(width: 220, height: 140, fill: 90)  // the crop (x 147.5…252.5, y 47.5…152.5) runs off it
        let (input, c) = try STARSpec.preprocess(image, box: FaceBox(left: 100, top: 50, right: 300, bottom: 150))
        XCTAssertEqual(input.shape, [1, 3, 256, 256])
        XCTAssertEqual(input.values[128 * 256 + 128], 90 / 255 * 2 - 1, accuracy: 1e-6, "inside the frame: the grey, scaled to [−1, 1]")
        XCTAssertEqual(input.values[256 * 256 - 1], -1, "outside the frame: border 0 → −1")
        let out = try InferenceSession(modelPath: model).run([STARSpec.inputName: input])
        let pts = try STARSpec.decode(out["landmarks"]!, crop: c)
        let s = 256.0 / 105
        XCTAssertEqual(pts[0].x, 200 + (-0.5 - 127.5) / s, accuracy: 1e-4)
        XCTAssertEqual(pts[1].y, 100 + (255.5 - 127.5) / s, accuracy: 1e-4)
        XCTAssertEqual(pts[2].x, 200, accuracy: 1e-4)
        XCTAssertEqual(pts[2].y, 100 + 64 / s, accuracy: 1e-4)
        XCTAssertEqual(pts[97].x, 200, accuracy: 1e-4)
    }

    func testAntialiasedResizeWeights() {
        // Shrinking 4 → 2: each output averages a triangle over 4 inputs (support 2).
        let w = AntialiasedResize.weights(inputSize: 4, outputSize: 2)
        XCTAssertEqual(w[0].start, 0)
        XCTAssertEqual(w[0].weights.count, 3)
        XCTAssertEqual(w[0].weights.reduce(0, +), 1, accuracy: 1e-12)
        // centre 1.0: inputs 0, 1, 2 at distances 0.5, 0.5, 1.5 (in output pixels 0.25, 0.25, 0.75).
        XCTAssertEqual(w[0].weights[0], w[0].weights[1], accuracy: 1e-12)
        XCTAssertEqual(w[0].weights[0] / w[0].weights[2], 0.75 / 0.25, accuracy: 1e-9)
        // Growing 2 → 4 is plain bilinear (support 1).
        let up = AntialiasedResize.weights(inputSize: 2, outputSize: 4)
        XCTAssertEqual(up[1].start, 0); XCTAssertEqual(up[1].weights, [0.75, 0.25], "centre 0.75: 0.25 from input 0, 0.75 from input 1")
        // A constant picture stays constant.
        let out = AntialiasedResize.resize([Float](repeating: 0.3, count: 3 * 7 * 5), channels: 3, height: 7, width: 5, outHeight: 4, outWidth: 9)
        XCTAssertTrue(out.allSatisfy { abs($0 - 0.3) < 1e-6 })
    }

    func testABoxOutsideTheFrameIsNamedReadably() {
        let frame = Image(width: 64, height: 48)
        let box = FaceBox(left: 859.654321, top: 10, right: 900, bottom: 40.04, score: 0.9)
        XCTAssertThrowsError(try MTLSpec.preprocess(frame, box: box)) { error in
            XCTAssertEqual("\(error)", "MTL: the face box (859.7, 10.0)–(900.0, 40.0) lies outside the 64x48 frame")
        }
    }
}
