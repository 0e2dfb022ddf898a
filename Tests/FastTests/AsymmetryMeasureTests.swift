import FaceMirror
import FaceMirrorCore
import Foundation
import XCTest

/// The landmark asymmetry measures as pure geometry: their values on a face built by hand, their
/// indifference to a rolled, moved and scaled head, and a lifted mouth corner seen on its side.
final class AsymmetryMeasureTests: XCTestCase {
    /// A 68-point face symmetric about x = 0 (y down), glabella (0, −54), chin (0, 100).
    static let symmetricFace: [Point] = {
        var p = [Point](repeating: Point(0, 0), count: 68)
        let imageLeft: [Int: (Double, Double)] = [
            0: (-70, -10), 1: (-68, 10), 2: (-64, 30), 3: (-58, 50), 4: (-50, 68), 5: (-38, 82), 6: (-25, 92), 7: (-12, 98),
            17: (-60, -50), 18: (-50, -58), 19: (-38, -60), 20: (-26, -58), 21: (-14, -54),
            31: (-12, 10), 32: (-6, 12),
            36: (-50, -30), 37: (-42, -36), 38: (-32, -36), 39: (-24, -30), 40: (-32, -26), 41: (-42, -26),
            48: (-25, 45), 49: (-16, 38), 50: (-7, 35), 59: (-17, 53), 58: (-8, 57),
            60: (-20, 45), 61: (-8, 41), 67: (-8, 48),
        ]
        let onMidline: [Int: Double] = [8: 100, 27: -45, 28: -32, 29: -19, 30: -6, 33: 13, 51: 36, 57: 58, 62: 41, 66: 48]
        let mirror: [Int: Int] = Dictionary(uniqueKeysWithValues:
            (0...7).map { ($0, 16 - $0) } + (17...21).map { ($0, 43 - $0) } + [(31, 35), (32, 34)]
            + [(36, 45), (37, 44), (38, 43), (39, 42), (40, 47), (41, 46)]
            + [(48, 54), (49, 53), (50, 52), (59, 55), (58, 56), (60, 64), (61, 63), (67, 65)])
        for (i, xy) in imageLeft {
            p[i] = Point(xy.0, xy.1)
            p[mirror[i]!] = Point(-xy.0, xy.1)
        }
        for (i, y) in onMidline { p[i] = Point(0, y) }
        return p
    }()

    private func landmarks(_ points: [Point]) -> FaceLandmarks {
        FaceLandmarks(layout: .dlib68, xy: points.flatMap { [Float($0.x), Float($0.y)] })
    }

    /// Rolled by `degrees` about the origin, scaled, moved.
    private func transformed(_ points: [Point], degrees: Double, scale: Double, by t: Point) -> [Point] {
        let a = degrees * .pi / 180
        return points.map { Point(scale * (cos(a) * $0.x - sin(a) * $0.y) + t.x, scale * (sin(a) * $0.x + cos(a) * $0.y) + t.y) }
    }

    private func value(_ m: FrameMeasures, _ measure: FacialMeasure) -> (right: Double, left: Double) {
        let i = FacialMeasure.allCases.firstIndex(of: measure)!
        return (m.right[i], m.left[i])
    }

    func testEachMeasureOnAFaceBuiltByHand() throws {
        let m = try XCTUnwrap(FrameMeasures(landmarks(Self.symmetricFace)))
        // Worked out from the points above by docs/method.md's definitions.
        let expected: [FacialMeasure: Double] = [
            .browHeight: 25 + 1 / 3.0,  // the eye's centre (y −30.667) below the brow's centre (y −56)
            .eyeOpening: 10, .alaHeight: 90, .commissureHeight: 55, .commissureExcursion: 25,
            .smileAngle: atan2(-0.5, 25) * 180 / .pi, .upperLipHeight: 65, .lowerLipHeight: 43,
        ]
        XCTAssertEqual(m.intercanthal, 48, accuracy: 1e-9)
        for measure in FacialMeasure.allCases {
            let v = value(m, measure)
            XCTAssertEqual(v.right, expected[measure]!, accuracy: 1e-4, measure.rawValue)
            XCTAssertEqual(v.left, v.right, accuracy: 1e-4, "\(measure.rawValue): the face is symmetric")
            XCTAssertEqual(m.difference(measure), 0, accuracy: 1e-5)
        }
        for zone in FaceZone.allCases { XCTAssertEqual(m.zoneIndex(zone), 0, accuracy: 1e-5) }
    }

    func testARolledMovedAndScaledHeadMeasuresTheSame() throws {
        let still = try XCTUnwrap(FrameMeasures(landmarks(Self.symmetricFace)))
        for roll in [-10.0, 7, 25] {
            let moved = try XCTUnwrap(FrameMeasures(landmarks(transformed(Self.symmetricFace, degrees: roll, scale: 1.5, by: Point(640, 360)))))
            XCTAssertEqual(moved.intercanthal, 1.5 * still.intercanthal, accuracy: 1e-3)
            for (i, measure) in FacialMeasure.allCases.enumerated() {
                let factor = measure.isAngle ? 1 : 1.5
                XCTAssertEqual(moved.right[i], factor * still.right[i], accuracy: 2e-3, "\(measure.rawValue), roll \(roll)°")
                XCTAssertEqual(moved.normalised(moved.left[i], measure), still.normalised(still.left[i], measure), accuracy: 1e-4)
            }
            XCTAssertEqual(moved.overallIndex, 0, accuracy: 1e-4, "a tilted head is not asymmetry")
        }
    }

    func testALiftedMouthCornerShowsOnItsOwnSideOnly() throws {
        // The patient's left corner is the image-right one (54); lift it 6 px along the face's own
        // up direction on a head rolled by 12°.
        var face = Self.symmetricFace
        let a = 12.0 * .pi / 180
        face = transformed(face, degrees: 12, scale: 1, by: Point(300, 200))
        face[54] = Point(face[54].x + 6 * sin(a), face[54].y - 6 * cos(a))
        let m = try XCTUnwrap(FrameMeasures(landmarks(face)))
        let height = value(m, .commissureHeight)
        XCTAssertEqual(height.left - height.right, 6, accuracy: 1e-3, "left − right, pixels")
        XCTAssertEqual(m.difference(.commissureHeight), 6 / 48, accuracy: 1e-4, "as a fraction of the intercanthal distance")
        XCTAssertEqual(m.index(.commissureHeight), 6 / (55 + 61), accuracy: 1e-4)
        XCTAssertGreaterThan(value(m, .smileAngle).left, value(m, .smileAngle).right + 10, "the lifted corner's smile angle")
        XCTAssertEqual(value(m, .commissureExcursion).left, value(m, .commissureExcursion).right, accuracy: 1e-3, "lifted straight up")
        XCTAssertGreaterThan(m.zoneIndex(.mouth), 0.005)
        for zone in [FaceZone.brow, .eye, .midface] { XCTAssertEqual(m.zoneIndex(zone), 0, accuracy: 1e-5, zone.rawValue) }
    }

    func testBothLayoutsNameDistinctPointsOnEachSide() {
        for layout in [LandmarkLayout.dlib68, .wflw98] {
            func all(_ s: MeasurePoints) -> [Int] {
                s.brow + s.eye + s.upperLid + s.lowerLid + [s.innerCanthus, s.ala, s.commissure, s.upperLip, s.lowerLip]
            }
            let right = Set(all(layout.patientRight)), left = Set(all(layout.patientLeft))
            XCTAssertTrue(right.isDisjoint(with: left), layout.name)
            XCTAssertTrue((right.union(left).union(layout.lipCentre)).allSatisfy { (0..<layout.count).contains($0) }, layout.name)
            XCTAssertTrue(Set(layout.patientRight.eye).isSuperset(of: layout.patientRight.upperLid + layout.patientRight.lowerLid + [layout.patientRight.innerCanthus]))
            XCTAssertTrue(Set(layout.patientLeft.eye).isSuperset(of: layout.patientLeft.upperLid + layout.patientLeft.lowerLid + [layout.patientLeft.innerCanthus]))
            XCTAssertTrue(layout.imageLeftEye.contains(layout.patientRight.innerCanthus), "the patient's right is on the image's left")
        }
    }

    func testTheTableHasAValueForEachColumnAndTheSummaryItsPercentiles() {
        let m = FrameMeasures(landmarks(Self.symmetricFace))
        for mm in [nil, 0.25] as [Double?] {
            XCTAssertEqual(AsymmetryTable.header(millimetres: mm != nil).count, 4 + AsymmetryTable.values(m, mmPerPx: mm).count - 1,
                           "frame, timestamp and success are written beside the values")
            XCTAssertTrue(AsymmetryTable.values(nil, mmPerPx: mm).allSatisfy(\.isNaN), "NaN without a face")
        }
        // Five frames whose left commissure height rises 0, 1, 2, 3, 4 px over a symmetric face; one without a face.
        var frames: [(index: Int, measures: FrameMeasures?)] = []
        let i = FacialMeasure.allCases.firstIndex(of: .commissureHeight)!
        for n in 0..<5 {
            var left = m!.left
            left[i] += Double(n)
            frames.append((n, FrameMeasures(right: m!.right, left: left, intercanthal: 48)))
        }
        frames.append((5, nil))
        let summary = AsymmetrySummary(frames: frames, mmPerPx: 0.5)
        XCTAssertEqual(summary.frames, 6)
        XCTAssertEqual(summary.framesWithFace, 5)
        let height = summary.measures.first { $0.name == "commissure_height" }!
        XCTAssertEqual(height.left.median, 57 / 48, accuracy: 1e-12)
        XCTAssertEqual(height.left.p5, (55 + 0.2) / 48, accuracy: 1e-12, "numpy's linear interpolation")
        XCTAssertEqual(height.left.rangeOfMotion, 3.6 / 48, accuracy: 1e-12)
        XCTAssertEqual(height.right.rangeOfMotion, 0, accuracy: 1e-12)
        XCTAssertEqual(height.leftMm?.median ?? 0, 57 * 0.5, accuracy: 1e-12)
        XCTAssertEqual(summary.largestAsymmetryFrame, 4)
        XCTAssertEqual(summary.representativeFrame, 2)
        XCTAssertNil(summary.measures.first { $0.name == "smile_angle" }!.index, "no index for the angle")
    }
}
