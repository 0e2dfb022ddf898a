import FaceMirror
import Foundation
import TestSupport
import XCTest

/// A person's coding of an exam (`<stem>_actions.csv`): segments in seconds or frames, read in order of
/// time, clipped to the video with a warning; a bad file is an error naming the file, the line and the value.
final class ActionCodingTests: XCTestCase {
    private func file(_ text: String, _ name: String = "v_actions.csv") throws -> String {
        let path = try Fixtures.scratch(self).appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testSecondsAreReadInOrderAndClippedToTheVideo() throws {
        let path = try file("action,start,end\nSS,2.5,4\nBL,0,2.5\n bs , 4, 6.5\n\nRE,7,9\n")
        let coding = try ActionCoding(path: path)
        XCTAssertEqual(coding.unit, .seconds)
        XCTAssertEqual(coding.rows.map(\.action), [.rest, .softSmile, .bigSmile, .raiseEyebrows])
        XCTAssertEqual(coding.rows.map(\.line), [3, 2, 4, 6])
        let (segments, warnings) = coding.timed(frameTimes: [], duration: 6)
        XCTAssertEqual(segments, [ActionSegment(action: .rest, start: 0, end: 2.5, source: .codingFile),
                                  ActionSegment(action: .softSmile, start: 2.5, end: 4, source: .codingFile),
                                  ActionSegment(action: .bigSmile, start: 4, end: 6, source: .codingFile)])
        XCTAssertEqual(warnings, ["\(path) line 4: BS ends at 6.500 s, after the video's end (6 s); cut there",
                                  "\(path) line 6: RE starts at 7 s, after the video's end (6 s); left out"])
        XCTAssertTrue(segments[1].contains(2.5) && !segments[1].contains(4))
    }

    func testFramesBecomeTheFramesTimes() throws {
        // 10 frames at 0.1 s; frames 0–3 rest, 4–7 smile (the end frame included), 8–12 (past the end) rest.
        let coding = try ActionCoding(path: try file("action,start_frame,end_frame\nBL,0,3\nSS,4,7\nBL,8,12\n"))
        XCTAssertEqual(coding.unit, .frames)
        let times = (0..<10).map { Double($0) / 10 }
        let (segments, warnings) = coding.timed(frameTimes: times, duration: 1.0)
        XCTAssertEqual(segments.map(\.start), [0, 0.4, 0.8])
        XCTAssertEqual(segments.map(\.end), [0.4, 0.8, 1.0])
        XCTAssertEqual(warnings.count, 1)
        XCTAssertTrue(warnings[0].hasSuffix("line 4: BL ends at frame 12, after the video's last frame (9); cut there"), warnings[0])
    }

    func testABadCodingNamesTheFileTheLineAndTheValue() throws {
        let cases: [(String, String)] = [
            ("action,start,end\nBL,0,2\nXX,2,3\n", "line 3: unknown movement code 'XX' (codes: BL, RE, ES, ET, BK, FR, WN, SS, BS, SO, SE, PL, BC, LT)"),
            ("action,start,end\nBL,0,2.5\nSS,2,4\n", "line 3: SS from 2 overlaps line 2's BL up to 2.500"),
            ("action,start,end\nBL,0,abc\n", "line 2: end 'abc' is not a number of seconds (0 or more)"),
            ("action,start,end\nBL,-1,2\n", "line 2: start '-1' is not a number of seconds (0 or more)"),
            ("action,start,end\nBL,3,2\n", "line 2: the segment ends (2) before it starts (3)"),
            ("action,start_frame,end_frame\nBL,0,2.5\n", "line 2: end_frame '2.5' is not a frame number (0 or more)"),
            ("action,start_frame,end_frame\nBL,0,4\nSS,4,8\n", "line 3: SS from 4 overlaps line 2's BL up to 4"),
            ("action,begin,end\nBL,0,2\n", "line 1: header 'action,begin,end'; expected action,start,end (seconds) or action,start_frame,end_frame (frames)"),
            ("action,start,end\nBL,0\n", "line 2: 2 fields 'BL,0'; expected action,start,end"),
            ("action,start,end\n", ": no segments below the header"),
            ("", ": empty; expected a header line action,start,end"),
        ]
        for (text, expected) in cases {
            let path = try file(text)
            XCTAssertThrowsError(try ActionCoding(path: path), text) { error in
                XCTAssertEqual("\(error)", path + (expected.hasPrefix(":") ? expected : " " + expected))
            }
        }
        let folder = try Fixtures.scratch(self).path
        XCTAssertThrowsError(try ActionCoding(path: folder)) { XCTAssertEqual("\($0)", "\(folder): is a folder, not a file; only plain files are read") }
    }
}
