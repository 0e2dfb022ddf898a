import FaceMirror
import FaceMirrorCore
import Foundation
import ModelToolchain
import TestSupport
import XCTest

/// `facemirror validate`: comparing landmark and AU CSVs.
final class ValidateTests: XCTestCase {
    func testIdenticalLandmarksPassAndAMovedPointFailsNamingTheFrame() throws {
        let dir = try Fixtures.scratch(self)
        let a = try Fixtures.landmarkCSV(dir, "a.csv", frames: 12)
        let same = try CSVComparison.compare(CSVTable(path: a), CSVTable(path: try Fixtures.landmarkCSV(dir, "b.csv", frames: 12)))
        XCTAssertTrue(same.passed)
        XCTAssertEqual(same.overall.max, 0)
        XCTAssertEqual(same.matchedFrames, 12)
        let moved = try CSVComparison.compare(CSVTable(path: a), CSVTable(path: try Fixtures.landmarkCSV(dir, "c.csv", frames: 12, move: (7, 30, 3))))
        XCTAssertFalse(moved.passed)
        XCTAssertEqual(moved.failures.count, 1)
        XCTAssertTrue(moved.failures[0].hasPrefix("frame 7: landmark 30 moved 3.00 px"), moved.failures[0])
        XCTAssertEqual(moved.worstFrames.first?.frame, 7)
        XCTAssertEqual(moved.stats[30].max, 3, accuracy: 1e-9)
        XCTAssertEqual(moved.stats[30].mean, 3.0 / 12, accuracy: 1e-9)
        // Fewer rows in one file: reported, the rest compared, and the comparison fails.
        let short = try CSVComparison.compare(CSVTable(path: a), CSVTable(path: try Fixtures.landmarkCSV(dir, "d.csv", frames: 10)))
        XCTAssertEqual(short.onlyInA, [10, 11])
        XCTAssertTrue(short.text.contains("row counts differ"))
        XCTAssertFalse(short.passed)
        XCTAssertEqual(short.failures, ["2 frames only in the first file (10, 11)"])
    }

    /// A candidate with no rows, with a row twice, or with values that are not numbers cannot pass.
    func testMissingRepeatedAndUnreadableValuesFail() throws {
        let dir = try Fixtures.scratch(self)
        let a = try Fixtures.landmarkCSV(dir, "a.csv", frames: 6)
        let lines = try String(contentsOfFile: a, encoding: .utf8).split(separator: "\n").map(String.init)
        func variant(_ name: String, _ rows: [String]) throws -> CSVComparison {
            let path = dir.appendingPathComponent(name).path
            try ([lines[0]] + rows).joined(separator: "\n").appending("\n").write(toFile: path, atomically: true, encoding: .utf8)
            return try CSVComparison.compare(CSVTable(path: a), CSVTable(path: path))
        }
        let empty = try variant("header_only.csv", [])
        XCTAssertFalse(empty.passed)
        XCTAssertTrue(empty.failures.contains("no frame is in both files: nothing was compared"), "\(empty.failures)")
        XCTAssertTrue(empty.text.contains("FAIL"), empty.text)

        let twice = try variant("twice.csv", Array(lines[1...]) + [lines[3]])
        XCTAssertFalse(twice.passed)
        XCTAssertEqual(twice.repeatedInB, [2])
        XCTAssertTrue(twice.failures.contains("frame numbers repeated in the second file: 2"), "\(twice.failures)")

        var cells = lines.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let x5 = cells[0].firstIndex(of: "x_5")!, y7 = cells[0].firstIndex(of: "y_7")!
        cells[1][x5] = "abc"; cells[2][x5] = "1e309"; cells[3][y7] = "-inf"
        let unreadable = try variant("unreadable.csv", cells.dropFirst().map { $0.joined(separator: ",") })
        XCTAssertFalse(unreadable.passed)
        XCTAssertEqual(unreadable.invalidValues, 3)
        XCTAssertTrue(unreadable.failures.first { $0.hasPrefix("3 values are not numbers (unreadable.csv row 2 x_5 'abc'") } != nil, "\(unreadable.failures)")
    }

    func testAFrameColumnThatIsNotWholeNumbersIsAClearError() throws {
        let dir = try Fixtures.scratch(self)
        let a = try Fixtures.landmarkCSV(dir, "a.csv", frames: 4)
        let good = try String(contentsOfFile: a, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        for (name, bad) in [("nan.csv", "NaN"), ("half.csv", "2.5"), ("text.csv", "two")] {
            var lines = good
            let row = lines[3].split(separator: ",", omittingEmptySubsequences: false)
            lines[3] = ([Substring(bad)] + row.dropFirst()).joined(separator: ",")[...]
            let path = dir.appendingPathComponent(name).path
            try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
            XCTAssertThrowsError(try CSVComparison.compare(CSVTable(path: a), CSVTable(path: path))) { error in
                guard case CSVError.badFrameNumber(let file, let row, let value) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(file, path)
                XCTAssertEqual(row, 4, "spreadsheet row: the header is row 1")
                XCTAssertEqual(value, bad)
            }
        }
    }

    func testAUDifferencesAndPearson() throws {
        let dir = try Fixtures.scratch(self)
        // AU01 in B = 2·A + 1 (r = 1), AU02 in B = −A (r = −1), AU04 identical; everything else NaN.
        let au01: [Double] = [0, 1, 2, 3, 4], au02: [Double] = [1, 0.5, 2, 0, 3]
        func write(_ name: String, _ f: (Int) -> [String: Double]) throws -> String {
            let path = dir.appendingPathComponent(name).path
            let w = try AUCSVWriter(path: path)
            for i in 0..<5 {
                let values = f(i)
                try w.write(frame: i, timestamp: Double(i), confidence: 1, success: true) { values[$0] ?? .nan }
            }
            try w.close()
            return path
        }
        let a = try write("a.csv") { ["AU01": au01[$0], "AU02": au02[$0], "AU04": 1.5] }
        let b = try write("b.csv") { ["AU01": 2 * au01[$0] + 1, "AU02": -au02[$0], "AU04": 1.5] }
        let c = try CSVComparison.compare(CSVTable(path: a), CSVTable(path: b))
        let by = Dictionary(uniqueKeysWithValues: c.stats.map { ($0.name, $0) })
        XCTAssertEqual(by["AU01"]?.r ?? 0, 1, accuracy: 1e-12)
        XCTAssertEqual(by["AU02"]?.r ?? 0, -1, accuracy: 1e-12)
        XCTAssertEqual(by["AU01"]?.mean ?? 0, (1.0 + 2 + 3 + 4 + 5) / 5, accuracy: 1e-12)
        XCTAssertEqual(by["AU04"]?.mean, 0)
        XCTAssertTrue(by["AU04"]?.r?.isNaN ?? false, "constant columns have no correlation")
        XCTAssertEqual(by["AU05"]?.count, 0)
        XCTAssertEqual(Set(c.failures.map { String($0.prefix(4)) }), ["AU01", "AU02"])
        // A hand-computed r: x = 1,2,3,4 and y = 2,1,4,3 → r = 0.6.
        XCTAssertEqual(CSVComparison.pearson([1, 2, 3, 4], [2, 1, 4, 3]), 0.6, accuracy: 1e-12)
    }
}
