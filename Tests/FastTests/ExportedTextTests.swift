import FaceMirrorCore
import Foundation
import Study
import XCTest

/// Names from outside the tool, as other programs read them: a spreadsheet opening study_summary.csv
/// and a browser following the index's links.
final class ExportedTextTests: XCTestCase {
    func testNamesThatAreFormulasStayText() {
        XCTAssertEqual(CSVField.text("=1+2.mp4"), "\"'=1+2.mp4\"")
        XCTAssertEqual(CSVField.text("+cmd|' /C calc'!A0.mp4"), "\"'+cmd|' /C calc'!A0.mp4\"")
        XCTAssertEqual(CSVField.text("-2.mp4"), "\"'-2.mp4\"")
        XCTAssertEqual(CSVField.text("@SUM(A1).mp4"), "\"'@SUM(A1).mp4\"")
        XCTAssertEqual(CSVField.text("\tx.mp4"), "\"'\tx.mp4\"")
        XCTAssertEqual(CSVField.text("p1/visit, \"2\".mp4"), "\"p1/visit, \"\"2\"\".mp4\"")
        XCTAssertEqual(CSVField.text("p1/visit.mp4"), "p1/visit.mp4")
        XCTAssertEqual(CSVField.text(""), "")
    }

    func testSummaryRowsQuoteFormulaNames() {
        let row = StudySummaryTable.csv([VideoRecord(path: "=HYPERLINK(\"http://x\").mp4", source: "in/x.mp4", bytes: 1, modified: 0)])
        let line = row.split(separator: "\n")[1]
        XCTAssertTrue(line.hasPrefix("\"'=HYPERLINK(\"\"http://x\"\").mp4\",queued,"), String(line))
    }

    func testIndexLinksAreRelativePathsWhateverTheNames() {
        XCTAssertEqual(StudyIndex.href("p1/gap_report.html"), "./p1/gap_report.html")
        XCTAssertEqual(StudyIndex.href("a#b?c/d e%f\\g\nh_report.html"), "./a%23b%3Fc/d%20e%25f%5Cg%0Ah_report.html")
        XCTAssertEqual(StudyIndex.href("javascript:alert(1)/v_report.html"), "./javascript:alert(1)/v_report.html")
        XCTAssertEqual(URL(string: StudyIndex.href("javascript:alert(1)/v_report.html"))?.scheme, nil, "a folder, not a scheme")
    }
}
