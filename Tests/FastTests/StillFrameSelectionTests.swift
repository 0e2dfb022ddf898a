import FaceMirror
import XCTest

/// Which frames a run keeps pictures of for the exam's stills, before the exam is known.
final class StillFrameSelectionTests: XCTestCase {
    func testTenFramesASecondAreKeptAndTheNearestIsShown() {
        var selection = StillFrameSelection()
        // 30 fps for 2 s: frames 0, 3, 6, … (the first of each tenth of a second).
        for k in 0..<60 { _ = selection.offer(index: k, time: Double(k) / 30) }
        XCTAssertEqual(selection.kept, Array(stride(from: 0, to: 60, by: 3)))
        XCTAssertEqual(selection.nearest(31), 30)
        XCTAssertEqual(selection.nearest(32), 33)
        XCTAssertEqual(selection.nearest(100), 57)
        XCTAssertNil(StillFrameSelection().nearest(5))
    }

    func testMemoryStaysBoundedOnALongVideo() {
        var selection = StillFrameSelection()
        var held = Set<Int>()
        // An hour at 30 fps.
        for k in 0..<(3600 * 30) {
            let (keep, dropped) = selection.offer(index: k, time: Double(k) / 30)
            held.subtract(dropped)
            if keep { held.insert(k) }
            XCTAssertLessThanOrEqual(held.count, StillFrameSelection.capacity)
        }
        XCTAssertEqual(held, Set(selection.kept), "what the caller holds is what the selection names")
        XCTAssertEqual(selection.spacing, 1.6, accuracy: 1e-9, "0.1 s doubled four times")
        XCTAssertGreaterThan(selection.kept.count, StillFrameSelection.capacity / 2)
        // Spread over the whole hour.
        XCTAssertLessThan(selection.kept.first!, 30)
        XCTAssertGreaterThan(selection.kept.last!, 3600 * 30 - 30 * 4)
    }
}
