import FaceMirror
import FaceMirrorCore
import TestSupport
import XCTest

/// The zero-lag filter as a pure function: weights, steady motion passed exactly, windows that shrink
/// at a track's ends.
final class CentredSmoothingTests: XCTestCase {
    private func track(_ n: Int, _ position: (Int) -> Double) -> [FaceLandmarks] {
        (0..<n).map { f in FaceLandmarks(layout: .dlib68, xy: (0..<136).map { Float(position(f) + Double($0)) }) }
    }

    func testTriangularWeightsSumToOne() {
        let ninths: [Double] = [1, 2, 3, 2, 1].map { $0 / 9 }
        XCTAssertEqual(CentredSmoothing.weights(radius: 2), ninths)
        XCTAssertEqual(CentredSmoothing.weights(radius: 1), [0.25, 0.5, 0.25])
        XCTAssertEqual(CentredSmoothing.weights(radius: 0), [1])
    }

    func testSteadyMotionIsPassedWithoutLag() {
        // A head moving 7 px a frame: the centred mean of a straight line is the line itself.
        let moving = track(10) { 7 * Double($0) }
        for i in 0..<10 {
            XCTAssertEqual(CentredSmoothing.smoothed(moving, at: i).xy, moving[i].xy, "frame \(i)")
        }
        // Noise on a still face is averaged: ±1 alternating becomes ±1/9 (weights 1 2 3 2 1 of ∓1 ±1 ∓1 ±1 ∓1).
        let jitter = track(9) { $0 % 2 == 0 ? 1 : -1 }
        XCTAssertEqual(Double(CentredSmoothing.smoothed(jitter, at: 4).xy[0]), 1.0 / 9, accuracy: 1e-6)
    }

    func testTheWindowShrinksAtTheEndsOfATrack() {
        let t = track(5) { Double($0 * $0) }  // accelerating: the window's size shows in the result
        XCTAssertEqual(CentredSmoothing.smoothed(t, at: 0).xy[0], 0, "first frame: nothing before it, no smoothing")
        XCTAssertEqual(Double(CentredSmoothing.smoothed(t, at: 1).xy[0]), 0.25 * 0 + 0.5 * 1 + 0.25 * 4, accuracy: 1e-6)
        let expected: Double = (0 + 2 * 1 + 3 * 4 + 2 * 9 + 16) / 9
        XCTAssertEqual(Double(CentredSmoothing.smoothed(t, at: 2).xy[0]), expected, accuracy: 1e-5)
        XCTAssertEqual(CentredSmoothing.smoothed(t, at: 4).xy[0], 16, "last frame")
    }
}
