import FaceMirror
import FaceMirrorCore
import Foundation
import TestSupport
import XCTest

/// The exam's numbers on measures made by hand (no video): a known movement on each side gives the
/// movement symmetry, the weaker side, the peak and the rest it must; turned heads, a missing rest and
/// synkinesis are said; the automatic timeline finds a known bout and nothing in a still face.
final class ExamAnalysisTests: XCTestCase {
    static let fps = 30.0
    static let intercanthal = 50.0

    /// Measure values (pixels) of a face at rest, per side, in `FacialMeasure.allCases` order.
    static let rest: [Double] = [25, 9, 80, 50, 35, 5, 55, 45]

    /// A track of `count` frames; `change(frame)` gives what is added to each side's measures.
    static func track(_ count: Int, yaw: (Int) -> Double = { _ in 0 },
                      change: (Int) -> (right: [FacialMeasure: Double], left: [FacialMeasure: Double])) -> MeasureTrack {
        var t = MeasureTrack()
        for i in 0..<count {
            let c = change(i)
            func side(_ d: [FacialMeasure: Double]) -> [Double] {
                FacialMeasure.allCases.enumerated().map { k, m in rest[k] + (d[m] ?? 0) }
            }
            t.add(index: i, time: Double(i) / fps, measures: FrameMeasures(right: side(c.right), left: side(c.left), intercanthal: intercanthal),
                  yaw: yaw(i))
        }
        return t
    }

    /// 0 before `from`, `height` from `from` to `to` (frames), 0 after.
    static func pulse(_ i: Int, _ from: Int, _ to: Int, _ height: Double) -> Double { i >= from && i < to ? height : 0 }

    static func frames(_ track: MeasureTrack) -> ExamFrames {
        ExamFrames(measures: track, actionUnits: nil, duration: Double(track.frames.count) / fps)
    }

    static func timeline(_ segments: [(ExamAction, Double, Double)]) -> ExamResult.Timeline {
        .init(source: .codingFile, file: "v_actions.csv", sha256: nil,
              segments: segments.map { ActionSegment(action: $0.0, start: $0.1, end: $0.2, source: .codingFile) })
    }

    func testAnAsymmetricSmileGivesItsSymmetryWeakerSidePeakAndRest() throws {
        // Rest 0–1 s, smile 1–2 s (right corner up 2 px, left 10 px), rest 2–3 s.
        let track = Self.track(90) { i in
            (right: [.commissureHeight: Self.pulse(i, 30, 60, 2)], left: [.commissureHeight: Self.pulse(i, 30, 60, 10)])
        }
        let exam = ExamAnalysis.analyse(Self.frames(track), timeline: Self.timeline([(.rest, 0, 1), (.softSmile, 1, 2), (.rest, 2, 3)]), video: "v.mp4")
        XCTAssertEqual(exam.movements.count, 1)
        let smile = exam.movements[0]
        XCTAssertEqual(smile.action, .softSmile)
        XCTAssertEqual(smile.zone, .mouth)
        XCTAssertEqual(smile.peakFirstFrame, 30)
        XCTAssertEqual(smile.peakLastFrame, 59)
        XCTAssertEqual(smile.peakFrames, 30)
        XCTAssertEqual(smile.leadingSide, "left")
        XCTAssertEqual(smile.restFrom, "rest segments")
        XCTAssertEqual(smile.restFrames, 60)
        XCTAssertEqual(smile.flags, [])
        let mouth = smile.zones.first { $0.zone == .mouth }!
        XCTAssertEqual(mouth.measure, "commissure_height")
        XCTAssertEqual(mouth.symmetry, 20, accuracy: 1e-9)
        XCTAssertEqual(mouth.weakerSide, "right")
        let height = smile.items.first { $0.name == "commissure_height" }!
        XCTAssertEqual(height.rest.right, 50 / Self.intercanthal, accuracy: 1e-12)
        XCTAssertEqual(height.movement.right, 2 / Self.intercanthal, accuracy: 1e-12)
        XCTAssertEqual(height.movement.left, 10 / Self.intercanthal, accuracy: 1e-12)
        XCTAssertEqual(height.difference, 8 / Self.intercanthal, accuracy: 1e-12)
        XCTAssertEqual(height.ratio, 0.2, accuracy: 1e-12)
        XCTAssertEqual(height.percentDifference, 100 * 8 / 6, accuracy: 1e-9)
        // The brow did not move: no symmetry is made of noise.
        let brow = smile.zones.first { $0.zone == .brow }!
        XCTAssertTrue(brow.symmetry.isNaN)
        XCTAssertNil(brow.weakerSide)
        // Synkinesis of a mouth movement: the eyes did not narrow.
        XCTAssertEqual(smile.synkinesis.map(\.kind), ["eye during mouth movement"])
        XCTAssertEqual(smile.synkinesis[0].flagged, [])
        // Resting symmetry per zone at rest: the measures are equal on both sides.
        XCTAssertEqual(exam.restingSymmetry.map(\.zone), FaceZone.allCases)
        XCTAssertEqual(exam.restingSymmetry.first { $0.zone == .mouth }!.symmetry, 100, accuracy: 1e-9)
        XCTAssertNil(exam.noMovement)
    }

    func testTurnedHeadsAreLeftOutOfThePeakAndASingleFramePeakIsFlagged() throws {
        // The smile holds 30 frames; the head is turned 20° in all but frames 40–41 of it.
        let track = Self.track(90, yaw: { (30..<60).contains($0) && !(40...41).contains($0) ? 20 : 0 }) { i in
            let h = Self.pulse(i, 30, 60, 10) + (i == 41 ? 2 : 0)
            return (right: [.commissureHeight: h], left: [.commissureHeight: h])
        }
        let exam = ExamAnalysis.analyse(Self.frames(track), timeline: Self.timeline([(.rest, 0, 1), (.bigSmile, 1, 2), (.rest, 2, 3)]), video: "v.mp4")
        let smile = exam.movements[0]
        XCTAssertEqual(smile.peakFrames, 1)
        XCTAssertEqual(smile.peakFirstFrame, 41)
        XCTAssertTrue(smile.flags.contains("28 frames with the head turned beyond ±10° yaw or ±15° pitch left out"), "\(smile.flags)")
        XCTAssertTrue(smile.flags.contains { $0.hasPrefix("peak of a single frame") }, "\(smile.flags)")
        XCTAssertEqual(smile.zones.first { $0.zone == .mouth }!.symmetry, 100, accuracy: 1e-9)
    }

    func testWithoutRestTheQuietestSecondIsUsedWithAWarning() throws {
        // Frames 0–29 wobble, 30–59 are still (the quietest second), 60–89 a smile.
        let track = Self.track(90) { i in
            let wobble = i < 30 ? Double(i % 2) * 3 : 0
            let h = Self.pulse(i, 60, 90, 10) + wobble
            return (right: [.commissureHeight: h, .browHeight: wobble], left: [.commissureHeight: h])
        }
        let exam = ExamAnalysis.analyse(Self.frames(track), timeline: Self.timeline([(.softSmile, 2, 3)]), video: "v.mp4")
        let smile = exam.movements[0]
        XCTAssertEqual(smile.restFrom, "quietest second")
        XCTAssertEqual(smile.restFrames, 30)
        XCTAssertEqual(exam.warnings, ["no rest (BL) in the timeline: rest is taken from the quietest second of the video, which may not be rest"])
        XCTAssertEqual(smile.items.first { $0.name == "commissure_height" }!.movement.right, 10 / Self.intercanthal, accuracy: 1e-12)
        XCTAssertTrue(exam.restingSymmetry.isEmpty, "no rest segment, no resting symmetry")
    }

    func testSynkinesisIsFlaggedOnTheSideThatMoves() throws {
        // Eyes close (1–2 s) and the right mouth corner rises 5 px with them; smile (3–4 s) and the left eye narrows by half.
        let track = Self.track(150) { i in
            let closing = Self.pulse(i, 30, 60, -8), smiling = Self.pulse(i, 90, 120, 10)
            return (right: [.eyeOpening: closing, .commissureHeight: Self.pulse(i, 30, 60, 5) + smiling],
                    left: [.eyeOpening: closing + Self.pulse(i, 90, 120, -4.5), .commissureHeight: smiling])
        }
        let exam = ExamAnalysis.analyse(Self.frames(track), timeline: Self.timeline([(.rest, 0, 1), (.closeEyesSoftly, 1, 2), (.rest, 2, 3),
                                                                                      (.softSmile, 3, 4), (.rest, 4, 5)]), video: "v.mp4")
        let eyes = exam.movements[0], smile = exam.movements[1]
        XCTAssertEqual(eyes.synkinesis[0].kind, "mouth during eye movement")
        XCTAssertEqual(eyes.synkinesis[0].value.right, 5 / Self.intercanthal, accuracy: 1e-12)
        XCTAssertEqual(eyes.synkinesis[0].flagged, ["right"])
        XCTAssertEqual(smile.synkinesis[0].value.left, 50, accuracy: 1e-9)
        XCTAssertEqual(smile.synkinesis[0].flagged, ["left"])
        XCTAssertEqual(eyes.zones.first { $0.zone == .eye }!.symmetry, 100, accuracy: 1e-9)
    }

    func testTheUpstreamFeatures() {
        XCTAssertEqual(ExamAnalysis.ratio(1, 4), 0.25)
        XCTAssertEqual(ExamAnalysis.ratio(0, 0), 1)
        XCTAssertEqual(ExamAnalysis.ratio(0, 2), 0)
        XCTAssertEqual(ExamAnalysis.percentDifference(1, 3), 100)
        XCTAssertEqual(ExamAnalysis.percentDifference(0, 3), 200)
        XCTAssertEqual(ExamAnalysis.percentDifference(0, 0), 0)
        // A side moving the other way has symmetry 0; movements below the smallest are none.
        XCTAssertEqual(ExamAnalysis.movementSymmetry(.init(right: -0.1, left: 0.2), direction: 1, floor: 0.05).0, 0)
        XCTAssertEqual(ExamAnalysis.movementSymmetry(.init(right: -0.1, left: 0.2), direction: 1, floor: 0.05).1, "right")
        XCTAssertTrue(ExamAnalysis.movementSymmetry(.init(right: 0.01, left: 0.02), direction: nil, floor: 0.05).0.isNaN)
        XCTAssertEqual(ExamAnalysis.movementSymmetry(.init(right: -0.2, left: -0.1), direction: nil, floor: 0.05).0, 50)
    }

    func testTheAutomaticTimelineFindsARaisedBrowAndNothingInAStillFace() {
        // Rest 0–2 s, brows up 6 px (0.12 intercanthal) with 0.2 s ramps from 2 s, held to 3 s, rest to 5 s.
        func ramp(_ i: Int) -> Double {
            let t = Double(i) / Self.fps
            if t < 2 || t > 3.4 { return 0 }
            if t < 2.2 { return 6 * (t - 2) / 0.2 }
            if t <= 3.2 { return 6 }
            return 6 * (3.4 - t) / 0.2
        }
        let track = Self.track(150) { i in
            let jitter = [0.0, 0.4, -0.3, 0.2, -0.4][i % 5]
            return (right: [.browHeight: ramp(i) + jitter, .eyeOpening: jitter / 2], left: [.browHeight: ramp(i) - jitter])
        }
        let found = MovementFinder().find(Self.frames(track))
        XCTAssertNil(found.noMovement)
        let moves = found.segments.filter { $0.action != .rest }
        XCTAssertEqual(moves.map(\.action), [.raiseEyebrows])
        XCTAssertEqual(moves[0].zone, .brow)
        XCTAssertEqual(moves[0].start, 2.1, accuracy: 0.1)
        XCTAssertEqual(moves[0].end, 3.3, accuracy: 0.1)
        XCTAssertEqual(found.segments.map(\.action), [.rest, .raiseEyebrows, .rest])
        XCTAssertTrue(found.segments.allSatisfy { $0.source == .auto && $0.confidence > 0 && $0.confidence <= 1 })

        let still = Self.track(90) { i in
            let jitter = [0.0, 0.4, -0.3, 0.2, -0.4][i % 5]
            return (right: [.browHeight: jitter, .commissureHeight: -jitter], left: [.eyeOpening: jitter / 2])
        }
        let none = MovementFinder().find(Self.frames(still))
        XCTAssertEqual(none.segments.map(\.action), [.rest])
        XCTAssertTrue(none.noMovement?.hasPrefix("no movement found: every zone stayed within its rest level") == true, none.noMovement ?? "nil")
        let exam = ExamAnalysis.analyse(Self.frames(still), timeline: .init(source: .auto, file: nil, sha256: nil, segments: none.segments),
                                        video: "v.mp4", noMovement: none.noMovement)
        XCTAssertTrue(exam.movements.isEmpty && exam.restingSymmetry.isEmpty, "no movement, no rows")
        XCTAssertEqual(exam.noMovement, none.noMovement)
    }
}
