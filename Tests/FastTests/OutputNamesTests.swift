import FaceMirror
import XCTest

/// A stem whose longest output name fits the file-name limit fits them all: no suffix is longer
/// than `_right_mirrored_extra.csv` (25 characters; the long-name test in OutputSafetyTests uses it).
final class OutputNamesTests: XCTestCase {
    func testNoOutputSuffixIsLongerThanTheLongestSeedName() {
        let all = OutputNames.all(debugVideo: true, actionUnits: true) + [OutputNames.report]
        XCTAssertEqual(all.map(\.count).max(), OutputNames.rightExtra.count)
        XCTAssertEqual(OutputNames.rightExtra.count, 25)
        XCTAssertEqual(Set(all).count, all.count, "no two outputs share a name")
    }
}
