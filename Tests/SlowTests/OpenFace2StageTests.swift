import FaceModels
import FaceMirror
import FaceMirrorCore
import MediaBinding
import Foundation
import TestSupport
import VisionBinding
import XCTest

/// OpenFace 2's AU stages against the golden data of the Python reference (pyfaceau 1.4.1's own classes;
/// ../shared/models/openface2/golden), same frames and same 68 landmarks.
final class OpenFace2StageTests: XCTestCase {
    private func models() throws -> (OpenFace2Models, URL) {
        let root = try Fixtures.requireShared("no OpenFace 2 models or golden data").appendingPathComponent("models/openface2")
        return (try OpenFace2Models(directory: root.appendingPathComponent("models").path), root.appendingPathComponent("golden"))
    }

    private struct Case { let clip: String, stem: String, video: String, frame: Int }

    private func cases(_ golden: URL) -> [Case] {
        [Case(clip: "still", stem: "grace_hopper_still", video: "grace_hopper_still.mkv", frame: 0),
         Case(clip: "still", stem: "grace_hopper_still", video: "grace_hopper_still.mkv", frame: 5),
         Case(clip: "rot", stem: "grace_hopper_rot", video: "grace_hopper_rot.mp4", frame: 0),
         Case(clip: "rot", stem: "grace_hopper_rot", video: "grace_hopper_rot.mp4", frame: 30)]
    }

    func testModelsLoad() throws {
        let (m, _) = try models()
        XCTAssertEqual(m.regressors.map(\.au), OpenFace2Models.actionUnits)
        XCTAssertEqual(m.regressors.filter(\.isDynamic).map(\.au),
                       ["AU01", "AU02", "AU05", "AU09", "AU15", "AU17", "AU20", "AU23", "AU25", "AU26", "AU45"])
        XCTAssertEqual(m.regressors.first { $0.au == "AU17" }?.kind, .dynamic(cutoff: 0.25))
        XCTAssertEqual(m.pdm.modeCount, 34)
        XCTAssertEqual(m.alignment.triangleCount, 111)
    }

    func testEachStageMatchesTheReference() throws {
        let (m, golden) = try models()
        var frames: [String: [VideoFrame]] = [:], opencv: [String: [Image]] = [:]
        for c in cases(golden) {
            let dir = golden.appendingPathComponent(c.clip)
            let prefix = dir.appendingPathComponent(String(format: "%@_f%04d_", c.stem, c.frame)).path
            func gold(_ name: String) throws -> [Double] { try Npy.numbers(prefix + name + ".npy").values }
            let videoPath = dir.appendingPathComponent(c.video).path
            if frames[c.video] == nil { frames[c.video] = try Fixtures.frames(videoPath).frames }
            let ours = frames[c.video]![c.frame].image
            if c.video.hasSuffix(".mp4") && opencv[c.video] == nil { opencv[c.video] = try opencvFrames(videoPath, scratch: try Fixtures.scratch(self)) }
            let frame = c.video.hasSuffix(".mkv") ? ours : opencv[c.video]![c.frame]
            let decodeDiff = zip(ours.pixels, frame.pixels).reduce(0.0) { $0 + abs(Double($1.0) - Double($1.1)) } / Double(frame.pixels.count)
            let lm = try gold("landmarks")
            let points = (0..<68).map { Point(lm[2 * $0], lm[2 * $0 + 1]) }
            let label = "\(c.stem) frame \(c.frame)"
            print("\(label): our decoder vs OpenCV's: mean |Δ| \(decodeDiff) grey levels")

            // PDM fit.
            let p = m.pdm.fit(points)
            let g = try gold("pdm_params_global"), l = try gold("pdm_params_local")
            let dScale = abs(p.scale - g[0]) / g[0]
            let dRot = zip(p.global[1...3], g[1...3]).map { abs($0 - $1) }.max()!
            let dT = zip(p.global[4...5], g[4...5]).map { abs($0 - $1) }.max()!
            let dLocal = zip(p.local, l).map { abs($0 - $1) }.max()!
            print("\(label): PDM scale rel \(dScale), rotation \(dRot) rad, translation \(dT) px, local max \(dLocal) (|p| max \(l.map(abs).max()!))")
            XCTAssertLessThan(dScale, 1e-4, label)
            XCTAssertLessThan(dRot, 1e-4, label)
            XCTAssertLessThan(dT, 1e-3, label)
            XCTAssertLessThan(dLocal, 1e-2, label)

            // Warp, mask, aligned face.
            let (face, warp, mask) = try m.alignment.align(frame, landmarks: points, tx: p.tx, ty: p.ty)
            let gw = try gold("warp_matrix")
            let dWarp = zip(warp, gw).map { abs($0 - $1) }.max()!
            let gMask = try gold("mask")
            let maskDiff = zip(mask, gMask).filter { Double($0) != $1 }.count
            let gAligned = try gold("aligned")
            let dAligned = zip(face.pixels, gAligned).map { abs(Double($0) - $1) }
            let meanAligned = dAligned.reduce(0, +) / Double(dAligned.count)
            print("\(label): warp max \(dWarp), mask pixels differing \(maskDiff), aligned mean |Δ| \(meanAligned) max \(dAligned.max()!)")
            XCTAssertLessThan(dWarp, 1e-3, label)
            XCTAssertEqual(maskDiff, 0, label)
            XCTAssertLessThanOrEqual(meanAligned, 0.5, label)
            // The same stage on our own decoding of the frame, for the record.
            let onOurs = try m.alignment.align(ours, landmarks: points, tx: p.tx, ty: p.ty).face
            let meanOnOurs = zip(onOurs.pixels, gAligned).reduce(0.0) { $0 + abs(Double($1.0) - $1.1) } / Double(gAligned.count)
            print("\(label): aligned face from our decoder's frame: mean |Δ| \(meanOnOurs)")

            // FHOG of the reference's own aligned face (isolates the extractor) and of ours.
            var theirs = Image(width: 112, height: 112)
            theirs.pixels = gAligned.map { UInt8($0) }
            let gHog = try gold("hog")
            let hogOfTheirs = try FHOG.features(theirs).values
            let hogOfOurs = try FHOG.features(face).values
            let dHogSame = zip(hogOfTheirs, gHog).map { abs(Double($0) - $1) }.max()!
            let dHogOurs = zip(hogOfOurs, gHog).map { abs(Double($0) - $1) }.max()!
            print("\(label): FHOG on the reference's face max |Δ| \(dHogSame); on ours \(dHogOurs)")
            XCTAssertEqual(hogOfTheirs.count, 4464)
            XCTAssertLessThan(dHogSame, 1e-6, label)

            // Geometry.
            let gGeom = try gold("geom")
            let geom = m.pdm.geometryFeatures(local: p.local)
            let dGeom = zip(geom, gGeom).map { abs($0 - $1) }.max()!
            print("\(label): geometry max |Δ| \(dGeom) (max |value| \(gGeom.map(abs).max()!))")
            XCTAssertLessThan(dGeom, 0.05, label)
        }
    }

    /// All frames as the reference decoded them (OpenCV's FFmpeg reader, in the reference parity tests'
    /// Python environment): for H.264, OpenCV's YUV→BGR conversion differs from ours (its swscale flags),
    /// which is decoding, not an AU stage. Lossless BGR clips decode the same either way.
    private func opencvFrames(_ video: String, scratch: URL) throws -> [Image] {
        let python = Fixtures.repoRoot.appendingPathComponent(".refenv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw XCTSkip("no reference Python environment (OpenCV's decoder): run scripts/env/reference_env.sh")
        }
        let out = scratch.appendingPathComponent("frames.bgr").path
        let script = """
            import sys, cv2
            cap = cv2.VideoCapture(sys.argv[1])
            n = 0
            with open(sys.argv[2], "wb") as out:
                while True:
                    ok, f = cap.read()
                    if not ok:
                        break
                    out.write(f.tobytes())
                    n += 1
                    shape = f.shape
            print(shape[1], shape[0], n)
            """
        let r = try Fixtures.run(python, ["-c", script, video, out])
        let v = r.stdout.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        let data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: out)))
        let size = v[0] * v[1] * 3
        return (0..<v[2]).map { Image(width: v[0], height: v[1], pixels: Array(data[($0 * size)..<(($0 + 1) * size)])) }
    }

    /// The whole video through the AU track: raw predictions with the final median, and the final CSV
    /// (shift, clip, smoothing), against the reference's.
    func testWholeClipsMatchTheReferenceCSVs() throws {
        let (m, golden) = try models()
        for (clip, stem, video) in [("still", "grace_hopper_still", "grace_hopper_still.mkv"), ("rot", "grace_hopper_rot", "grace_hopper_rot.mp4")] {
            let dir = golden.appendingPathComponent(clip)
            let videoPath = dir.appendingPathComponent(video).path
            let frames = video.hasSuffix(".mkv") ? try Fixtures.frames(videoPath).frames.map(\.image)
                                                 : try opencvFrames(videoPath, scratch: try Fixtures.scratch(self))
            let landmarks = try CSVTable(path: dir.appendingPathComponent("\(stem)_landmarks.csv").path)
            XCTAssertEqual(frames.count, landmarks.rows.count, clip)
            var track = OpenFace2AUTrack(models: m)
            for (i, frame) in frames.enumerated() {
                guard landmarks.column("success")[i] == 1 else { track.add(nil); continue }
                let points = (0..<68).map { Point(landmarks.column("x_\($0)")[i], landmarks.column("y_\($0)")[i]) }
                track.add(try AUFeatures.extract(frame, landmarks: points, models: m))
            }
            let raw = track.rawPredictions()
            let final = track.finish()
            let goldRaw = try CSVTable(path: dir.appendingPathComponent("\(stem)_of2_svr_raw_final_median.csv").path)
            let goldFinal = try CSVTable(path: dir.appendingPathComponent("\(stem)_of2_aus.csv").path)
            var worstRaw = 0.0, worstInterior = 0.0, worstEnd = 0.0
            for (a, au) in OpenFace2Models.actionUnits.enumerated() {
                let r = goldRaw.column("\(au)_r"), f = goldFinal.column("\(au)_r")
                for i in 0..<frames.count {
                    worstRaw = max(worstRaw, abs(raw[i][a] - r[i]))
                    let d = abs(final[i][a] - f[i])
                    if i == 0 || i == frames.count - 1 { worstEnd = max(worstEnd, d) } else { worstInterior = max(worstInterior, d) }
                }
            }
            print("\(stem): raw SVR (final median) max |Δ| \(worstRaw); final AUs interior max |Δ| \(worstInterior), first/last frame \(worstEnd)")
            // The reference fits the PDM in float32, we in double: the warp's translation moves by up to 3e-5 px,
            // which flips the rounding of single aligned-face pixels on some frames of the H.264 clip (0.02 there).
            XCTAssertLessThan(worstRaw, clip == "still" ? 1e-4 : 0.03, clip)
            XCTAssertLessThanOrEqual(worstInterior, 0.02, clip)
            // End frames: OpenFace 2.2 leaves them unsmoothed, the reference (pyfaceau) averages two frames.
            for (a, au) in OpenFace2Models.actionUnits.enumerated() {
                for i in [0, frames.count - 1] {
                    XCTAssertEqual(final[i][a], min(5, max(0, final[i][a])), "\(au) frame \(i) in [0, 5]")
                }
            }
        }
    }
}
