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
}
