import FaceMirror
import XCTest

/// A stem whose longest output name fits the file-name limit fits them all: no suffix is longer
/// than `_right_mirrored_extra.csv` (25 characters; the long-name test in OutputSafetyTests uses it).
final class OutputNamesTests: XCTestCase {
    func testNoOutputSuffixIsLongerThanTheLongestSeedName() {
        let all = OutputNames.all(debugVideo: true, actionUnits: AUMethod.allCases, extraColumns: true) + [OutputNames.report]
        XCTAssertEqual(all.map(\.count).max(), OutputNames.rightExtra.count)
        XCTAssertEqual(OutputNames.rightExtra.count, 25)
        XCTAssertEqual(Set(all).count, all.count, "no two outputs share a name")
    }

    func testTheFirstMethodTakesTheMainAUFilesAndTheOthersTheirOwn() {
        XCTAssertEqual(AUMethod.ordered([.mtl, .openface2]), [.openface2, .mtl])
        let both = OutputNames.all(debugVideo: false, actionUnits: [.openface2, .mtl], extraColumns: true)
        XCTAssertEqual(both.filter { $0.hasSuffix(".csv") && $0.contains("mirrored") },
                       ["_right_mirrored.csv", "_left_mirrored.csv", "_right_mirrored_mtl.csv", "_left_mirrored_mtl.csv",
                        "_right_mirrored_extra.csv", "_left_mirrored_extra.csv", "_right_mirrored_coded.csv", "_left_mirrored_coded.csv"])
        let mtl = OutputNames.all(debugVideo: false, actionUnits: [.mtl], extraColumns: true)
        XCTAssertEqual(mtl.filter { $0.contains("mirrored") && $0.hasSuffix(".csv") },
                       ["_right_mirrored.csv", "_left_mirrored.csv", "_right_mirrored_extra.csv", "_left_mirrored_extra.csv",
                        "_right_mirrored_coded.csv", "_left_mirrored_coded.csv"])
        XCTAssertFalse(OutputNames.all(debugVideo: true).contains { $0.contains("_mirrored") && $0.hasSuffix(".csv") }, "no AUs, no AU files")
        XCTAssertTrue(Set(OutputNames.all(debugVideo: true)).isSuperset(of: ["_timeline.csv", "_exam.csv", "_exam.json"]), "the exam without AUs")
    }
}
