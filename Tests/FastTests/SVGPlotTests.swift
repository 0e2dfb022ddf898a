import FaceMirror
import Study
import XCTest

/// The time plots of the reports and the workspace: long videos are drawn per column (its lowest and
/// highest value), so that an hour of frames makes a small page that still shows every peak.
final class SVGPlotTests: XCTestCase {
    func testAnHourOfFramesDrawsSmallWithItsPeaks() throws {
        let n = 3600 * 30
        let times = (0..<n).map { Double($0) / 30 }
        var values = (0..<n).map { 0.1 * sin(Double($0) / 50) }
        values[54321] = 10
        values[70000..<70300] = ArraySlice(repeating: .nan, count: 300)
        var plot = SVGPlot(title: "an hour", yLabel: "index", times: times)
        plot.series = [SVGPlot.Series(name: "mouth", colour: "#d62728", values: values)]
        let svg = plot.svg(id: "hour")
        let points = try XCTUnwrap(svg.firstMatch(of: #/data-points="(\d+)"/#).map { Int($0.1)! })
        print("an hour of frames: \(svg.utf8.count) bytes, \(points) vertices")
        XCTAssertLessThanOrEqual(points, 2 * 826, "two a column at most")
        XCTAssertLessThan(svg.utf8.count, 40_000)
        // The spike is still drawn: its column reaches the top of the value range.
        let vertices = SVGPlot.vertices(times.map { 62 + $0 / times.last! * 826 }, values, from: 62, columns: 826)
        XCTAssertEqual(vertices.compactMap { $0?.1 }.max(), 10)
        XCTAssertTrue(vertices.contains { $0 == nil }, "ten seconds without a value lift the pen")
        // A short video keeps one vertex per frame.
        let short = SVGPlot.vertices([0, 1, 2, 3], [1, .nan, 2, 3], from: 0, columns: 826)
        XCTAssertEqual(short.count, 4)
        XCTAssertNil(short[1])
    }

    /// An hour's automatic timeline (a blink every 4 s, a smile every 2 minutes) draws one rect per run
    /// of columns, not per segment: small, each smile still there, marked as not editable; the strip
    /// drawn again above the plots refers to it instead of repeating it. A short timeline keeps a rect
    /// per segment (the workspace edits them).
    func testAnHoursTimelineDrawsPerColumn() throws {
        var segments: [ActionSegment] = []
        var t = 0.0
        while t < 3600 {
            let smile = Int(t) % 120 == 0 && t > 0
            segments.append(ActionSegment(action: .rest, start: t, end: t + 3.8, source: .auto))
            segments.append(ActionSegment(action: smile ? .softSmile : .blink, start: t + 3.8, end: t + 4, source: .auto))
            t += 4
        }
        XCTAssertEqual(segments.count, 1800)
        let strip = ExamSection.strip(segments, span: 0...3600, id: "exam-strip")
        XCTAssertLessThan(strip.utf8.count, 150_000, "\(strip.utf8.count) bytes")
        XCTAssertTrue(strip.contains("data-binned=\"1800\""))
        XCTAssertFalse(strip.contains("class=\"segment\""), "nothing the editor would take for a segment")
        let smiles = strip.components(separatedBy: "fill=\"#fd8d3c\"").count - 1
        XCTAssertEqual(smiles, 29, "each smile (every 2 minutes after the first) is its own run of columns")
        let copy = ExamSection.stripCopy(of: "exam-strip", span: 0...3600, id: "exam-strip-plots")
        XCTAssertTrue(copy.contains("<use href=\"#exam-strip-segments\"/>"))
        XCTAssertLessThan(copy.utf8.count, 600)
        XCTAssertTrue(strip.contains("<g id=\"exam-strip-segments\">"))

        let short = ExamSection.strip(Array(segments.prefix(40)), span: 0...80, id: "exam-strip")
        XCTAssertEqual(short.components(separatedBy: "<rect class=\"segment\"").count - 1, 40)
        XCTAssertFalse(short.contains("data-binned"))
    }
}
