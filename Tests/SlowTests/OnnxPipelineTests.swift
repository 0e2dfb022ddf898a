import FaceModels
import FaceMirror
import FaceMirrorCore
import Foundation
import ModelToolchain
import Study
import VisionBinding
import TestSupport
import XCTest

/// `process` with the OpenFace 3.0 stack through ONNX Runtime: trained RetinaFace and PFLD from
/// ../shared/models/trained, the STAR and MTL architecture replicas from ../shared/models/replica.
final class OnnxPipelineTests: XCTestCase {
    private struct Models {
        let retinaFace: String, pfld: String, star: String, mtl: String
    }

    private func models() throws -> Models {
        let shared = try Fixtures.requireShared("no ONNX models to run")
        let m = Models(retinaFace: shared.appendingPathComponent("models/trained/retinaface_mnet025_widerface_op17.onnx").path,
                       pfld: shared.appendingPathComponent("models/trained/pfld_ghostone_wflw98.onnx").path,
                       star: shared.appendingPathComponent("models/replica/star_wflw98_replica.onnx").path,
                       mtl: shared.appendingPathComponent("models/replica/mtl_effnetb0_replica.onnx").path)
        for p in [m.retinaFace, m.pfld, m.star, m.mtl] where !FileManager.default.fileExists(atPath: p) {
            throw XCTSkip("\(p) is missing")
        }
        return m
    }

    /// The benchmark stack (docs/benchmarks.md): trained RetinaFace, the STAR and MTL replicas.
    private func benchmarkStack(_ m: Models) -> ModelStack {
        var stack = ModelStack()
        stack.detector = ModelFile(path: m.retinaFace)
        stack.landmarks = ModelFile(path: m.star)
        stack.mtl = ModelFile(path: m.mtl)
        return stack
    }

    func testOnePassMeasuresBothHemifacesAsTheStagesDoFrameByFrame() throws {
        let m = try models()
        let dir = try Fixtures.scratch(self)
        let video = try Fixtures.sampleClip(frames: 4, in: dir, name: "clip4.mp4")
        let stack = benchmarkStack(m)
        var options = ProcessOptions(outputDirectory: dir.appendingPathComponent("out"))
        options.raw = true
        options.debugVideo = false
        try FileManager.default.createDirectory(at: options.outputDirectory, withIntermediateDirectories: true)
        let summary = try stack.load(logger: Fixtures.logger).process(video, options: options)
        XCTAssertEqual(summary.frames, 4)
        XCTAssertEqual(summary.detections, 4, "--raw detects on every frame")
        let out = options.outputDirectory
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: out.path))
        XCTAssertEqual(names, Set(OutputNames.all(debugVideo: false, actionUnits: [.mtl], extraColumns: true).filter { $0 != OutputNames.examStills }.map { "clip4" + $0 }))

        // OpenFace's 41 columns; AUs the model lacks are NaN; AU45 comes from the eyes.
        let right = try LandmarkTable(path: out.appendingPathComponent("clip4_right_mirrored.csv").path)
        XCTAssertEqual(right.header.count, 41)
        XCTAssertEqual(right.header, AUCSVWriter.columns)
        XCTAssertEqual(right.rows.count, 4)
        XCTAssertEqual(Set(right.column("success")), [1])
        for au in MTLSpec.actionUnits {
            XCTAssertTrue(right.column(au + "_r").allSatisfy { (0...5).contains($0) }, au)
            XCTAssertTrue(right.column(au + "_c").allSatisfy { $0 == 0 || $0 == 1 }, au)
        }
        for au in ["AU05", "AU07", "AU09", "AU26"] { XCTAssertTrue(right.column(au + "_r").allSatisfy(\.isNaN), au) }
        XCTAssertTrue(right.column("AU45_r").allSatisfy { (0...5).contains($0) })
        let extra = try LandmarkTable(path: out.appendingPathComponent("clip4_left_mirrored_extra.csv").path)
        XCTAssertEqual(extra.header, ["frame", "face_id", "timestamp", "success"] + MTLSpec.emotions.map { "emotion_" + $0.lowercased() } + ["gaze_yaw", "gaze_pitch"])
        for n in 0..<4 {
            let total = MTLSpec.emotions.map { extra.column("emotion_" + $0.lowercased())[n] }.reduce(0, +)
            XCTAssertEqual(total, 1, accuracy: 1e-3)
        }
        // AU asymmetry: each hemiface's intensity beside the other, left − right, and each zone's mean difference.
        let asymmetry = try LandmarkTable(path: out.appendingPathComponent("clip4_asymmetry.csv").path)
        let leftAUs = try LandmarkTable(path: out.appendingPathComponent("clip4_left_mirrored.csv").path)
        for n in 0..<4 {
            for au in MTLSpec.actionUnits + ["AU45"] {
                XCTAssertEqual(asymmetry.column(au + "_right")[n], right.column(au + "_r")[n], accuracy: 1e-4, au)
                XCTAssertEqual(asymmetry.column(au + "_diff")[n], leftAUs.column(au + "_r")[n] - right.column(au + "_r")[n], accuracy: 2e-4, au)
            }
            let brow = ["AU01", "AU02", "AU04"].map { leftAUs.column($0 + "_r")[n] - right.column($0 + "_r")[n] }.reduce(0, +) / 3
            XCTAssertEqual(asymmetry.column("brow_au_diff")[n], brow, accuracy: 3e-4)
            let eye = ["AU06", "AU45"].map { leftAUs.column($0 + "_r")[n] - right.column($0 + "_r")[n] }.reduce(0, +) / 2
            XCTAssertEqual(asymmetry.column("eye_au_diff")[n], eye, accuracy: 3e-4, "only the eye AUs the model gives")
        }
        XCTAssertFalse(asymmetry.header.contains("midface_au_diff"), "MTL gives no mid-face AU")
        // The summary is over the frames whose landmarks are not poor (the STAR replica's often are).
        let au = try XCTUnwrap(summary.asymmetry?.actionUnits?.first { $0.name == "AU12" })
        let issues = try LandmarkTable(path: out.appendingPathComponent("clip4_landmarks.csv").path).text("quality_issue")
        let kept = (0..<4).filter { issues[$0].isEmpty }
        XCTAssertEqual(summary.asymmetry?.framesLeftOut, 4 - kept.count)
        XCTAssertEqual(summary.landmarkQuality.poorFrames, 4 - kept.count)
        let d = kept.map { leftAUs.column("AU12_r")[$0] - right.column("AU12_r")[$0] }
        XCTAssertEqual(au.framesMeasured, kept.count)
        if !kept.isEmpty {
            XCTAssertEqual(au.meanDifference, d.reduce(0, +) / Double(kept.count), accuracy: 1e-3)
            let oneSided = kept.filter { (leftAUs.column("AU12_r")[$0] >= 1) != (right.column("AU12_r")[$0] >= 1) }.count
            XCTAssertEqual(au.oneSidedActive, Double(oneSided) / Double(kept.count), accuracy: 1e-12)
        }
        XCTAssertEqual(summary.asymmetry?.actionUnitZones?.map(\.name), ["brow", "eye", "mouth"])
        // The report plots each zone's AUs, right hemiface against left, and tabulates them.
        let page = try String(contentsOf: try VideoReport(directory: out, stem: "clip4").write(), encoding: .utf8)
        for id in ["plot-au-brow", "plot-au-eye", "plot-au-mouth", "au"] { XCTAssertTrue(page.contains("id=\"\(id)\""), id) }
        XCTAssertFalse(page.contains("id=\"plot-au-midface\""))

        // Per-model timings in the report.
        let stages = Set(summary.report.stages.map(\.name))
        for s in ["RetinaFace_preprocess", "RetinaFace_onnx_cpu", "RetinaFace_postprocess", "STAR_preprocess", "STAR_onnx_cpu",
                  "STAR_postprocess", "MTL_preprocess", "MTL_onnx_cpu", "MTL_postprocess", "mirror"] {
            XCTAssertTrue(stages.contains(s), s)
        }
        XCTAssertEqual(summary.report.stages.first { $0.name == "STAR_onnx_cpu" }?.calls, 4, "STAR once per frame")
        XCTAssertEqual(summary.report.stages.first { $0.name == "MTL_onnx_cpu" }?.calls, 8, "MTL once per hemiface")

        // --raw: each frame's results are what the stages give for that frame alone.
        let landmarks = try LandmarkTable(path: out.appendingPathComponent("clip4_landmarks.csv").path)
        XCTAssertEqual(landmarks.header.count, 5 + 2 * 98 + 7 + HeadPose.columns.count)
        let left = try LandmarkTable(path: out.appendingPathComponent("clip4_left_mirrored.csv").path)
        let detector = try RetinaFaceDetector(modelPath: m.retinaFace)
        let star = try OnnxLandmarkDetector(modelPath: m.star)
        XCTAssertEqual(star.kind, .star)
        let mtl = try MTLEstimator(modelPath: m.mtl)
        let frames = try Fixtures.frames(video).frames
        for n in [0, 3] {
            let image = frames[n].image
            let face = try XCTUnwrap(try detector.detect(image).max { $0.area < $1.area })
            let lm = try star.landmarks(in: image, box: face)
            var worst = 0.0
            for i in 0..<98 {
                worst = max(worst, abs(landmarks.column("x_\(i)")[n] - Double(lm.xy[2 * i])), abs(landmarks.column("y_\(i)")[n] - Double(lm.xy[2 * i + 1])))
            }
            XCTAssertLessThanOrEqual(worst, 0.001, "frame \(n) landmarks")
            XCTAssertEqual(landmarks.column("confidence")[n], face.score, accuracy: 1e-4)
            let pair = try MidlineMirror().mirror(image, about: lm.midline)
            let box = FaceBox(left: face.left, top: face.top, right: face.right, bottom: face.bottom)
            let centred = { (b: FaceBox, line: Midline) -> FaceBox in
                let g = line.glabella, c = line.chin, cy = b.centre.y
                let cx = g.x + (cy - g.y) * (c.x - g.x) / (c.y - g.y)
                return FaceBox(left: cx - b.width / 2, top: b.top, right: cx + b.width / 2, bottom: b.bottom)
            }(box, lm.midline)
            for (table, picture) in [(right, pair.right), (left, pair.left)] {
                let a = try mtl.analyse(picture, box: centred)
                for (au, raw) in zip(MTLSpec.actionUnits, a.actionUnitsRaw) {
                    XCTAssertEqual(table.column(au + "_r")[n], MTLSpec.intensity(raw), accuracy: 1e-4, "frame \(n) \(au)")
                }
            }
            // AU45 of the right hemiface: the image-left eye's aspect ratio (no smoothing in --raw? only 3-frame).
            let ear = BlinkEstimator.eyeAspectRatio(lm, eye: LandmarkLayout.wflw98.imageLeftEye)
            if n == 0 { XCTAssertEqual(right.column("AU45_r")[0], BlinkEstimator.intensity(ear: ear), accuracy: 1e-4) }
        }
    }

    /// The benchmark stack (docs/benchmarks.md) on the sample (RetinaFace, the random-weight STAR replica, MTL)
    /// used to fail whole when the replica's midline put a hemiface box outside the frame: every frame
    /// is written now, and each AU row left out is counted.
    func testTheBenchmarkStackWritesEveryFrame() throws {
        let m = try models()
        let dir = try Fixtures.scratch(self)
        let stack = benchmarkStack(m)
        var options = ProcessOptions(outputDirectory: dir.appendingPathComponent("out"))
        options.debugVideo = false
        try FileManager.default.createDirectory(at: options.outputDirectory, withIntermediateDirectories: true)
        let summary = try stack.load(logger: Fixtures.logger).process(try Fixtures.sample(), options: options)
        XCTAssertEqual(summary.frames, 60)
        // The replica's points do not predict the next frame's box, so following fails; after a few such
        // frames the detector goes first: STAR once per frame, plus the failed follows and their retries.
        let star = try XCTUnwrap(summary.report.stages.first { $0.name == "STAR_onnx_cpu" }).calls
        // (Following on every frame ran it 67 times here.)
        print("STAR ran \(star) times on \(summary.frames) frames; detector \(summary.detections)")
        XCTAssertEqual(FaceTracker.failuresBeforeDetectionFirst, 3)
        XCTAssertEqual(FaceTracker.followRetryInterval, 30)
        XCTAssertLessThanOrEqual(star, summary.frames + 3 + 2, "3 failed follows, then a retry at most every 30 frames")
        // Going detector-first, the detector looks around the last face; the whole frame at least every 30 frames.
        let region = try XCTUnwrap(summary.report.detectorRegionRuns)
        XCTAssertGreaterThanOrEqual(region, summary.frames - 3 - 1 - 2 * 2, "\(region) region runs")
        XCTAssertTrue(summary.report.text.contains("\(region) of them on a region around the last face"), summary.report.text)
        XCTAssertEqual(summary.framesWithFace, 60)
        for side in ["right", "left"] {
            let t = try LandmarkTable(path: options.outputDirectory.appendingPathComponent("grace_hopper_rot_\(side)_mirrored.csv").path)
            XCTAssertEqual(t.rows.count, 60, side)
            let notMeasured = t.column("success").filter { $0 == 0 }.count
            let counted = summary.failures.filter { $0.name.hasPrefix("\(side) hemiface AUs") }.map(\.frames).reduce(0, +)
            let noFace = summary.failures.filter { !$0.output }.map(\.frames).reduce(0, +)
            XCTAssertEqual(notMeasured, counted + noFace, "\(side): every row left out is counted")
        }
    }

    /// `model optimize --dynamic-batch` frees MTL's batch: `process` then runs both hemifaces in one
    /// run per frame (half the calls) with the same numbers; STAR, whose graph has the batch of 1
    /// written in, is refused.
    func testMTLRunsBothHemifacesInOneBatchWhenTheModelTakesOne() throws {
        let m = try models()
        let dir = try Fixtures.scratch(self)
        let batched = dir.appendingPathComponent("mtl_batch.onnx").path
        let report = try ModelOptimizer.optimize(input: m.mtl, output: batched, dynamicBatch: true)
        XCTAssertEqual(try XCTUnwrap(report.batchOfTwoMaxDiff), 0, accuracy: 1e-4)
        XCTAssertThrowsError(try ModelOptimizer.optimize(input: m.star, output: dir.appendingPathComponent("star_batch.onnx").path, dynamicBatch: true)) {
            XCTAssertTrue(ErrorText.describe($0).contains("batch of 1 written in"), ErrorText.describe($0))
        }
        XCTAssertNil(try MTLEstimator(modelPath: batched).batch)
        XCTAssertEqual(try MTLEstimator(modelPath: m.mtl).batch, 1)

        let video = try Fixtures.sampleClip(frames: 6, in: dir, name: "clip6.mp4")
        var tables: [String: LandmarkTable] = [:]
        for (label, mtl) in [("single", m.mtl), ("batch", batched)] {
            var stack = benchmarkStack(m)
            stack.mtl = ModelFile(path: mtl)
            var options = ProcessOptions(outputDirectory: dir.appendingPathComponent(label))
            options.debugVideo = false
            try FileManager.default.createDirectory(at: options.outputDirectory, withIntermediateDirectories: true)
            let summary = try stack.load(logger: Fixtures.logger).process(video, options: options)
            let runs = try XCTUnwrap(summary.report.stages.first { $0.name == "MTL_onnx_cpu" }).calls
            XCTAssertEqual(runs, label == "batch" ? summary.framesWithFace : 2 * summary.framesWithFace, label)
            for side in ["right", "left"] {
                tables[label + side] = try LandmarkTable(path: options.outputDirectory.appendingPathComponent("clip6_\(side)_mirrored.csv").path)
            }
        }
        for side in ["right", "left"] {
            let a = try XCTUnwrap(tables["single" + side]), b = try XCTUnwrap(tables["batch" + side])
            XCTAssertEqual(a.rows.count, 6)
            for au in MTLSpec.actionUnits {
                for (x, y) in zip(a.column(au + "_r"), b.column(au + "_r")) { XCTAssertEqual(x, y, accuracy: 1e-4, "\(side) \(au)") }
            }
        }
    }

    /// A midline outside the picture (here dlib's real fit moved out on frame 3; a near-horizontal one
    /// does the same) puts the mirrored face box outside the frame: that frame's AU rows are
    /// `success=0`, its landmarks are written, the video goes on.
    func testAHemifaceBoxOutsideTheFrameFailsThatRowOnly() throws {
        let m = try models()
        let dir = try Fixtures.scratch(self)
        let video = dir.appendingPathComponent("first6.mp4").path
        try Fixtures.ffmpeg(["-i", try Fixtures.sample(), "-frames:v", "6", "-c:v", "libx264", "-qp", "0", "-c:a", "copy", video])
        let mtl = try MTLEstimator(modelPath: m.mtl)
        let processor = VideoProcessor(detector: try DlibFaceDetector(), landmarker: try FrameFailureTests.FaultyLandmarks(moveOutOn: [3]),
                                       actionUnits: [MTLHemifaceAUs(estimator: mtl, model: ModelUse(role: "action units", name: "MTL", path: m.mtl))],
                                       logger: Fixtures.logger)
        var options = ProcessOptions(outputDirectory: dir.appendingPathComponent("out"))
        options.debugVideo = false
        options.following.smoothing = .none
        try FileManager.default.createDirectory(at: options.outputDirectory, withIntermediateDirectories: true)
        let summary = try processor.process(video, options: options)
        XCTAssertEqual(summary.frames, 6)
        XCTAssertEqual(summary.framesWithFace, 6)
        XCTAssertEqual(summary.failures.map(\.name), ["right hemiface AUs: face box outside the frame", "left hemiface AUs: face box outside the frame"])
        for side in ["right", "left"] {
            let t = try LandmarkTable(path: options.outputDirectory.appendingPathComponent("first6_\(side)_mirrored.csv").path)
            XCTAssertEqual(t.column("success"), [1, 1, 1, 0, 1, 1], side)
            XCTAssertTrue(AUCSVWriter.actionUnits.allSatisfy { t.column($0 + "_r")[3].isNaN }, side)
            XCTAssertTrue(t.column("AU01_r")[4].isFinite, side)
        }
        XCTAssertEqual(try LandmarkTable(path: options.outputDirectory.appendingPathComponent("first6_landmarks.csv").path).column("success"),
                       [1, 1, 1, 1, 1, 1], "the landmarks of that frame are written")
        XCTAssertTrue(summary.report.text.contains("not measured: right hemiface AUs: face box outside the frame 1"), summary.report.text)
    }

    /// A face found in a region around its last box maps back to where the whole frame finds it: with
    /// the region on RetinaFace's 32-pixel grid, within a tenth of a pixel here (off the grid, up to 6 px
    /// and 3.7° of roll).
    func testRetinaFaceInARegionFindsTheSameBox() throws {
        let m = try models()
        let detector = try RetinaFaceDetector(modelPath: m.retinaFace)
        let frames = try Fixtures.frames(try Fixtures.sample()).frames
        for n in [0, 30, 59] {
            let image = frames[n].image
            let whole = try XCTUnwrap(try detector.detect(image).max { $0.area < $1.area })
            let moved = FaceBox(left: whole.left + 12, top: whole.top - 9, right: whole.right + 12, bottom: whole.bottom - 9)
            let inRegion = try XCTUnwrap(try FaceTracker.detect(with: detector, around: moved, of: image, timer: StageTimer()).max { $0.area < $1.area })
            print("frame \(n): whole frame \(whole), region \(inRegion)")
            for (a, b) in [(whole.left, inRegion.left), (whole.top, inRegion.top), (whole.right, inRegion.right), (whole.bottom, inRegion.bottom)] {
                XCTAssertEqual(a, b, accuracy: 0.5, "frame \(n)")
            }
            XCTAssertEqual(whole.roll, inRegion.roll, accuracy: 0.5)
        }
    }

    func testTrainedRetinaFaceFindsTheFace() throws {
        let m = try models()
        let detector = try RetinaFaceDetector(modelPath: m.retinaFace)
        let photo = try Imaging.read(path: Fixtures.photo)
        let faces = try detector.detectWithPoints(photo)
        XCTAssertEqual(faces.count, 1)
        let b = try XCTUnwrap(faces.first).box
        XCTAssertGreaterThan(b.score, 0.99)
        for (got, want) in zip([b.left, b.top, b.right, b.bottom], [174.04, 107.35, 358.52, 328.14]) {
            XCTAssertEqual(got, want, accuracy: 0.5)
        }
        // On the sample: the box centre follows the photo's face centre moved by each frame's transform.
        let transforms = try Fixtures.sampleTransforms()
        let frames = try Fixtures.frames(try Fixtures.sample()).frames
        var errors: [Double] = []
        for (n, f) in frames.enumerated() where n % 3 == 0 {
            let found = try detector.detect(f.image)
            XCTAssertEqual(found.count, 1, "frame \(n)")
            guard let c = found.first?.centre else { continue }
            let t = transforms[n].m, (px, py) = ((174.04 + 358.52) / 2, (107.35 + 328.14) / 2)
            errors.append(hypot(c.x - (t[0] * px + t[1] * py + t[2]), c.y - (t[3] * px + t[4] * py + t[5])))
        }
        print("trained RetinaFace on the sample: box centre vs known centre median \(Fixtures.median(errors)) px, max \(errors.max()!) px")
        XCTAssertLessThan(errors.max()!, 15)
    }

    func testPFLDMidlineFollowsTheKnownRotation() throws {
        let m = try models()
        // Unrotated crop = the reference script: pupils where its run put them (verify_report.json).
        let pfld = try OnnxLandmarkDetector(modelPath: m.pfld)
        XCTAssertEqual(pfld.kind, .pfld)
        // The box's roll is 0: the crop is not turned.
        let photo = try Imaging.read(path: Fixtures.photo)
        let lm = try pfld.landmarks(in: photo, box: FaceBox(left: 174.04, top: 107.35, right: 358.52, bottom: 328.14))
        for (p, want) in zip([lm[96], lm[97]], [(222.3, 195.8), (306.5, 189.8)]) {
            XCTAssertEqual(p.x, want.0, accuracy: 0.5); XCTAssertEqual(p.y, want.1, accuracy: 0.5)
        }
        let dir = try Fixtures.scratch(self)
        var stack = ModelStack()
        stack.detector = ModelFile(path: m.retinaFace)
        stack.landmarks = ModelFile(path: m.pfld)
        var options = ProcessOptions(outputDirectory: dir)
        options.debugVideo = false
        let summary = try stack.load(logger: Fixtures.logger).process(try Fixtures.sample(), options: options)
        XCTAssertEqual(summary.framesWithFace, 60)
        XCTAssertEqual(summary.detections, 1, "detected once, then tracked")
        let t = try LandmarkTable(path: dir.appendingPathComponent("grace_hopper_rot_landmarks.csv").path)
        let transforms = try Fixtures.sampleTransforms()
        var offsets: [Double] = []
        for n in 0..<60 {
            let tilt = Midline(glabella: Point(t.column("glabella_x")[n], t.column("glabella_y")[n]),
                               chin: Point(t.column("chin_x")[n], t.column("chin_y")[n])).tiltDegrees
            offsets.append(tilt - transforms[n].angle)
        }
        let typical = Fixtures.median(offsets)
        let worst = offsets.map { abs($0 - typical) }.max()!
        print("PFLD midline: offset \(typical)°, worst deviation \(worst)°")
        XCTAssertLessThanOrEqual(worst, 1.0)
    }

    func testWrongModelsAreRefusedWithWhatWasExpected() throws {
        let m = try models()
        XCTAssertThrowsError(try OnnxLandmarkDetector(modelPath: m.mtl)) { e in
            XCTAssertTrue("\(e)".hasPrefix(m.mtl), "\(e)")
            XCTAssertTrue("\(e)".contains("not a 98-point landmark model"), "\(e)")
            XCTAssertTrue("\(e)".contains("expected STAR"), "\(e)")
        }
        XCTAssertThrowsError(try OnnxLandmarkDetector(modelPath: m.star, kind: .pfld))
        // Asked for STAR, a PFLD file is refused for what it is, without PFLD in the list of what would do.
        XCTAssertThrowsError(try OnnxLandmarkDetector(modelPath: m.pfld, kind: .star)) { e in
            XCTAssertEqual("\(e)", "\(m.pfld): not a STAR model: it is a PFLD model (--landmarks-kind pfld, or leave it out); expected STAR (input float32[1,3,256,256], last output 98×2)")
        }
        XCTAssertThrowsError(try RetinaFaceDetector(modelPath: m.star)) { XCTAssertTrue("\($0)".contains("not a RetinaFace model"), "\($0)") }
        XCTAssertThrowsError(try MTLEstimator(modelPath: m.retinaFace)) { XCTAssertTrue("\($0)".contains("input_face"), "\($0)") }
        let dir = try Fixtures.scratch(self)
        func plan(_ folder: URL, au: [AUChoice] = []) throws -> RunPlan {
            var request = RunRequest(outputDirectory: dir)
            request.modelsDirectory = folder.path
            request.actionUnits = au
            return try RunPlan(request, store: nil)
        }
        XCTAssertThrowsError(try plan(dir)) { XCTAssertTrue("\($0)".contains(ModelFolder.detectorFile), "\($0)") }
        // A folder with OpenFace 3.0's exported names works, MTL optional (unless asked for).
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent(ModelFolder.detectorFile).path, withDestinationPath: m.retinaFace)
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent(ModelFolder.landmarksFile).path, withDestinationPath: m.pfld)
        XCTAssertNil(try plan(dir).stack.mtl)
        XCTAssertEqual(try plan(dir).actionUnits, [])
        XCTAssertThrowsError(try plan(dir, au: [.mtl])) { XCTAssertTrue("\($0)".contains("has no MTL model"), "\($0)") }
        XCTAssertNoThrow(try plan(dir).makeProcessor(logger: Fixtures.logger))

        // Plain names do as well; the exported names win where both are present.
        let plain = try Fixtures.scratch(self).appendingPathComponent("plain")
        try FileManager.default.createDirectory(at: plain, withIntermediateDirectories: true)
        XCTAssertThrowsError(try plan(plain)) { XCTAssertTrue("\($0)".contains("or retinaface.onnx"), "\($0)") }
        for (name, target) in [("retinaface.onnx", m.retinaFace), ("star.onnx", m.pfld), ("mtl.onnx", m.mtl)] {
            try FileManager.default.createSymbolicLink(atPath: plain.appendingPathComponent(name).path, withDestinationPath: target)
        }
        let plainPlan = try plan(plain)
        XCTAssertEqual(plainPlan.stack.detector?.path, plain.appendingPathComponent("retinaface.onnx").path)
        XCTAssertEqual(plainPlan.stack.mtl?.path, plain.appendingPathComponent("mtl.onnx").path)
        XCTAssertEqual(plainPlan.actionUnits, [.mtl], "an MTL model in the folder measures AUs by default")
        XCTAssertEqual(try plainPlan.modelDigests().map(\.role), ["detector", "landmarks", "action units"])
        XCTAssertNoThrow(try plainPlan.makeProcessor(logger: Fixtures.logger))
        try FileManager.default.createSymbolicLink(atPath: plain.appendingPathComponent(ModelFolder.detectorFile).path, withDestinationPath: m.retinaFace)
        XCTAssertEqual(try plan(plain).stack.detector?.path, plain.appendingPathComponent(ModelFolder.detectorFile).path)
        XCTAssertEqual(try ModelFolder.contents(of: plain.path).files.count, 3)
    }

    /// An execution provider asks for ONNX models: the dlib stack refuses it; provider flags need their
    /// provider; a provider this build lacks is named with what the build has.
    func testProviderChoicesOnTheCommandLine() throws {
        let m = try models()
        let dir = try Fixtures.scratch(self)
        let video = try Fixtures.sampleClip(frames: 2, in: dir, name: "two.mp4", fast: true)
        let out = dir.appendingPathComponent("out").path
        func refused(_ args: [String], _ message: String) throws {
            let r = try Fixtures.run(Fixtures.cli(), ["process", video, "-o", out] + args, allowFailure: true)
            XCTAssertNotEqual(r.status, 0, args.joined(separator: " "))
            XCTAssertTrue(r.stderr.contains(message), "\(args): \(r.stderr)")
        }
        try refused(["--provider", "CUDA"], "the default dlib stack runs on the CPU only")
        try refused(["--landmarks", m.pfld, "--coreml-format", "MLProgram"], "go with --provider CoreML")
        try refused(["--landmarks", m.pfld, "--provider-option", "device_id=1"], "--provider-option goes with a --provider other than CPU")
        try refused(["--landmarks", m.pfld, "--provider", "CUDA", "--provider-option", "device_id"], "expected KEY=VALUE")
        try refused(["--landmarks", m.pfld, "--provider", "CoreML", "--cuda-device", "1"], "--cuda-device goes with --provider CUDA")
        try refused(["--landmarks", m.pfld, "--provider", "CoreML", "--coreml-format", "MLProgram", "--coreml-units", "CPUAndNeuralEngine",
                     "--coreml-static-shapes"], "execution provider CoreML: not in this ONNX Runtime build")
        // `model coverage --ep NAME` (the same option as --provider) per provider this build has.
        let coverage = try Fixtures.run(Fixtures.cli(), ["model", "coverage", m.pfld, "--ep", "CPU"])
        XCTAssertTrue(coverage.stdout.contains("CPUExecutionProvider:"), coverage.stdout)
        let absent = try Fixtures.run(Fixtures.cli(), ["model", "coverage", m.pfld, "--ep", "CoreML"], allowFailure: true)
        XCTAssertTrue(absent.stderr.contains("not in this ONNX Runtime build"), absent.stderr)
        var request = RunRequest(outputDirectory: dir)
        request.session.provider = .cuda
        XCTAssertThrowsError(try RunPlan(request, store: nil)) { XCTAssertTrue("\($0)".contains("dlib stack runs on the CPU only"), "\($0)") }
    }
}
