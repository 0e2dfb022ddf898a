import FaceMirror
import FaceMirrorCore
import XCTest

/// The layout tables OpenFace 2 relies on and the reflected hemiface landmarks.
final class HemifaceLandmarksTests: XCTestCase {
    func testMirrorPartnersAndThe68PointMapAgree() {
        for layout in [LandmarkLayout.dlib68, .wflw98] {
            XCTAssertEqual(layout.mirrorPartner.count, layout.count)
            for i in 0..<layout.count { XCTAssertEqual(layout.mirrorPartner[layout.mirrorPartner[i]], i, "\(layout.name) \(i)") }
            XCTAssertEqual(layout.ibug68.count, 68)
            XCTAssertEqual(Set(layout.ibug68).count, 68, "no point taken twice")
            // Mapping then mirroring = mirroring then mapping: the two tables describe the same face.
            for i in 0..<68 {
                XCTAssertEqual(layout.mirrorPartner[layout.ibug68[i]], layout.ibug68[LandmarkLayout.dlib68.mirrorPartner[i]], "\(layout.name) point \(i)")
            }
            // The eyes' corners land on the 68-point eye corners.
            XCTAssertEqual(layout.ibug68[36], layout.imageLeftEye.first)
            XCTAssertEqual(layout.ibug68[42], layout.imageRightEye.first)
        }
    }

    private func face(_ layout: LandmarkLayout, asymmetry: Double) -> [Point] {
        // A face symmetric about x = 100, then the image-right half pushed down by `asymmetry` px.
        var points = [Point](repeating: Point(0, 0), count: layout.count)
        for i in 0..<layout.count {
            let j = layout.mirrorPartner[i]
            let low = min(i, j)
            let dx = j == i ? 0 : 10 + Double(low % 17) * 3
            let y = 50 + Double(low) * 2.5
            points[i] = Point(100 + (i == low ? -dx : dx), y)
        }
        for i in 0..<layout.count where points[i].x > 100 { points[i].y += asymmetry }
        return points
    }

    func testReflectedLandmarksAreSymmetricAndKeepTheKeptHalf() {
        let midline = Midline(glabella: Point(100, 0), chin: Point(100, 400))
        for layout in [LandmarkLayout.dlib68, .wflw98] {
            let symmetric = face(layout, asymmetry: 0)
            for side in Hemiface.allCases {
                let same = HemifaceLandmarks.reflected(symmetric, layout: layout, midline: midline, side: side)
                for (a, b) in zip(same, symmetric) { XCTAssertEqual(a.x, b.x, accuracy: 1e-9); XCTAssertEqual(a.y, b.y, accuracy: 1e-9) }
            }
            let lopsided = face(layout, asymmetry: 7)
            for side in Hemiface.allCases {
                let r = HemifaceLandmarks.reflected(lopsided, layout: layout, midline: midline, side: side)
                for i in 0..<layout.count {
                    let j = layout.mirrorPartner[i]
                    XCTAssertEqual(r[i].x, 200 - r[j].x, accuracy: 1e-9, "\(layout.name) \(side) \(i)")
                    XCTAssertEqual(r[i].y, r[j].y, accuracy: 1e-9, "\(layout.name) \(side) \(i)")
                    let kept = side == .right ? lopsided[i].x < 100 : lopsided[i].x > 100
                    if kept { XCTAssertEqual(r[i], lopsided[i]) }
                }
                // The kept half's heights: the right hemiface has the untouched half, the left the pushed one.
                let corner = r[layout.patientRight.commissure].y - lopsided[layout.patientRight.commissure].y
                XCTAssertEqual(corner, side == .right ? 0 : 7, accuracy: 1e-9)
            }
            XCTAssertEqual(HemifaceLandmarks.ibug68(lopsided, layout: layout).count, 68)
        }
    }
}
