import FaceMirror
import FaceMirrorCore
import TestSupport
import XCTest

/// Pure functions: midline geometry, smoothing, yaw, layouts, CSV layout. No media, no models.
final class GeometryTests: XCTestCase {
    func testMidlineReflectionIsAnInvolutionAndKeepsTheLine() {
        let m = Midline(glabella: Point(300, 100), chin: Point(340, 400))
        let p = Point(123.5, 321.25)
        let back = m.reflect(m.reflect(p))
        XCTAssertEqual(back.x, p.x, accuracy: 1e-9)
        XCTAssertEqual(back.y, p.y, accuracy: 1e-9)
        // Points on the line stay; the distance changes sign.
        let onLine = Point(320, 250)
        XCTAssertEqual(m.reflect(onLine).x, 320, accuracy: 1e-9)
        XCTAssertEqual(m.signedDistance(m.reflect(p)), -m.signedDistance(p), accuracy: 1e-9)
        XCTAssertLessThan(m.signedDistance(Point(0, 250)), 0, "image-left is the negative side")
    }

    func testMidlineTiltSignAndEndpoints() {
        XCTAssertEqual(Midline(glabella: Point(100, 0), chin: Point(100, 50)).tiltDegrees, 0, accuracy: 1e-12)
        // Chin moved right of the glabella: the face turned counter-clockwise on screen.
        XCTAssertEqual(Midline(glabella: Point(0, 0), chin: Point(10, 10)).tiltDegrees, 45, accuracy: 1e-9)
        let (a, b) = Midline(glabella: Point(100, 200), chin: Point(110, 300)).endpoints(width: 640, height: 480)
        XCTAssertEqual(a.y, 0); XCTAssertEqual(a.x, 80, accuracy: 1e-9)
        XCTAssertEqual(b.y, 480); XCTAssertEqual(b.x, 128, accuracy: 1e-9)
    }

    func testLayoutsNameTheMidlinePoints() {
        XCTAssertEqual(LandmarkLayout.dlib68.glabella, [21, 22])
        XCTAssertEqual(LandmarkLayout.dlib68.chin, 8)
        XCTAssertEqual(LandmarkLayout.wflw98.glabella, [38, 50])
        XCTAssertEqual(LandmarkLayout.wflw98.chin, 16)
        for layout in [LandmarkLayout.dlib68, .wflw98] {
            let all = layout.glabella + [layout.chin, layout.noseTip] + layout.imageLeftEye + layout.imageRightEye + layout.inner
                + layout.yawPairs.flatMap { [$0.imageLeft, $0.imageRight] }
            XCTAssertTrue(all.allSatisfy { $0 >= 0 && $0 < layout.count }, layout.name)
        }
        let lm = FaceLandmarks(layout: .dlib68, xy: (0..<136).map { Float($0) })
        let g = lm.midline.glabella
        XCTAssertEqual(g.x, (42 + 44) / 2); XCTAssertEqual(g.y, (43 + 45) / 2)
        XCTAssertEqual(lm.midline.chin, Point(16, 17))
    }

    func testSmootherWeightsRiseLinearlyOverFiveFrames() {
        var s = LandmarkSmoother(window: 5)
        func lm(_ v: Float) -> FaceLandmarks { FaceLandmarks(layout: .dlib68, xy: [Float](repeating: v, count: 136)) }
        XCTAssertEqual(s.add(lm(0)).xy[0], 0)
        // Two frames: weights 0.5 and 1.0.
        XCTAssertEqual(s.add(lm(3)).xy[0], 3 * 1.0 / 1.5, accuracy: 1e-5)
        for v in [6, 9, 12] as [Float] { _ = s.add(lm(v)) }
        // Five frames 0,3,6,9,12 with weights 0.5,0.625,0.75,0.875,1.
        let expected = (0 * 0.5 + 3 * 0.625 + 6 * 0.75 + 9 * 0.875 + 12 * 1.0) / 3.75
        let now = s.add(lm(15)).xy[0]  // the oldest (0) leaves the window
        let expected6 = (3 * 0.5 + 6 * 0.625 + 9 * 0.75 + 12 * 0.875 + 15 * 1.0) / 3.75
        XCTAssertEqual(now, Float(expected6), accuracy: 1e-4)
        XCTAssertNotEqual(expected, expected6)
        s.reset()
        XCTAssertEqual(s.add(lm(7)).xy[0], 7)
    }

    /// A symmetric synthetic 68-point face about x = 0, nose tip in front.
    private func syntheticFace(noseShift: Float) -> FaceLandmarks {
        var xy = [Float](repeating: 0, count: 136)
        func set(_ i: Int, _ x: Float, _ y: Float) { xy[2 * i] = x; xy[2 * i + 1] = y }
        for i in 0..<68 { set(i, 0, Float(i)) }
        set(21, -10, 0); set(22, 10, 0); set(8, 0, 200)
        set(36, -45, 40); set(45, 45, 40); set(39, -16, 40); set(42, 16, 40)
        set(48, -25, 140); set(54, 25, 140); set(2, -65, 120); set(14, 65, 120)
        for i in 36...47 where ![36, 39, 42, 45].contains(i) { set(i, i < 42 ? -30 : 30, 40) }
        set(30, noseShift, 100)
        return FaceLandmarks(layout: .dlib68, xy: xy)
    }

    func testYawIsZeroForASymmetricFaceAndSignedByTheNose() {
        XCTAssertEqual(HeadYaw.degrees(syntheticFace(noseShift: 0)), 0, accuracy: 1e-9)
        let right = HeadYaw.degrees(syntheticFace(noseShift: 5))
        XCTAssertGreaterThan(right, 3, "nose towards image-right gives positive yaw")
        XCTAssertEqual(HeadYaw.degrees(syntheticFace(noseShift: -5)), -right, accuracy: 1e-9)
        XCTAssertEqual(HeadYaw.quality(2.9), .good)
        XCTAssertEqual(HeadYaw.quality(-4.5), .acceptable)
        XCTAssertEqual(HeadYaw.quality(5.5), .poor)
    }

    func testLandmarkCSVColumnsAndNaNForFailures() throws {
        let dir = try Fixtures.scratch(self)
        let path = dir.appendingPathComponent("x.csv").path
        let w = try LandmarkCSVWriter(path: path, layout: .dlib68)
        try w.write(LandmarkRow(frame: 0, faceID: 0, timestamp: 0.0333667, confidence: .nan, success: false, landmarks: nil, yaw: .nan))
        try w.write(LandmarkRow(frame: 1, faceID: 0, timestamp: 0.0667333, confidence: 1.25, success: true,
                                landmarks: syntheticFace(noseShift: 0), yaw: 0,
                                quality: LandmarkQuality(value: 0.2, issue: .unsteady(part: "mouth")),
                                pose: HeadPose(tx: 1, ty: -2, tz: 500, rx: 0.1, ry: -0.05, rz: 0.02)))
        try w.close()
        let t = try LandmarkTable(path: path)
        XCTAssertEqual(t.header.count, 5 + 2 * 68 + 7 + 6)
        XCTAssertEqual(Array(t.header.prefix(6)), ["frame", "face_id", "timestamp", "confidence", "success", "x_0"])
        XCTAssertEqual(t.header[5 + 68], "y_0")
        XCTAssertEqual(Array(t.header.suffix(13)), ["glabella_x", "glabella_y", "chin_x", "chin_y", "yaw", "quality", "quality_issue",
                                                    "pose_Tx", "pose_Ty", "pose_Tz", "pose_Rx", "pose_Ry", "pose_Rz"])
        XCTAssertEqual(t.rows.count, 2)
        XCTAssertTrue(t.rows.allSatisfy { $0.count == t.header.count })
        XCTAssertEqual(t.rows[0][4], "0")
        let issue = t.header.firstIndex(of: "quality_issue")!
        XCTAssertEqual(Set(t.rows[0][5..<issue] + t.rows[0][(issue + 1)...]), ["NaN"], "no face: no pose either")
        XCTAssertEqual(t.rows[0][issue], "")
        XCTAssertEqual(t.column("quality")[1], 0.2)
        XCTAssertEqual(t.rows[1][issue], "mouth unsteady")
        XCTAssertEqual(HeadPose.columns.map { t.column($0)[1] }, [1, -2, 500, 0.1, -0.05, 0.02])
        XCTAssertEqual(t.rows[0][3], "NaN")
        XCTAssertEqual(t.column("timestamp")[1], 0.066733, accuracy: 1e-9)
        XCTAssertEqual(t.column("glabella_x")[1], 0)
        XCTAssertEqual(t.column("chin_y")[1], 200)
    }

    func testPerformanceReportStatesFramesWallTimeAndFPS() throws {
        let timer = StageTimer()
        timer.record("decode", seconds: 0.002)
        timer.record("decode", seconds: 0.004)
        timer.record("encode_left", seconds: 0.010)
        let r = PerformanceReport(video: "v.mp4", frames: 2, wallSeconds: 0.5, threads: 2, timer: timer)
        XCTAssertEqual(r.fps, 4)
        XCTAssertEqual(r.stages.map(\.name), ["decode", "encode_left"])
        XCTAssertEqual(r.stages[0].calls, 2)
        XCTAssertEqual(r.stages[0].meanMs, 3, accuracy: 1e-9)
        XCTAssertEqual(r.stages[0].minMs, 2, accuracy: 1e-9)
        XCTAssertEqual(r.stages[0].maxMs, 4, accuracy: 1e-9)
        XCTAssertEqual(r.stages[0].percentOfWall, 1.2, accuracy: 1e-9)
        XCTAssertTrue(r.text.contains("pipeline FPS: 4.00"))
        let json = try JSONSerialization.jsonObject(with: r.json()) as? [String: Any]
        XCTAssertEqual(json?["frames"] as? Int, 2)
        XCTAssertEqual((json?["stages"] as? [[String: Any]])?.first?["mean_ms"] as? Double ?? 0, 3, accuracy: 1e-9)
    }
}
