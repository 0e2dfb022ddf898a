import FaceMirror
import Foundation
import TestSupport
import XCTest

/// Where a video's timeline comes from: `--actions`, then `<stem>_actions.csv` beside the outputs, then
/// beside the video, then an upstream coded CSV beside the video that facemirror did not write, else automatic.
final class TimelineInputTests: XCTestCase {
    private func write(_ text: String, _ path: URL) throws {
        try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: path, atomically: true, encoding: .utf8)
    }

    private func source(_ t: TimelineInput) -> String {
        switch t {
        case .coding(let c, _): return "coding " + URL(fileURLWithPath: c.path).deletingLastPathComponent().lastPathComponent
        case .upstream(let u, _): return "upstream " + URL(fileURLWithPath: u.path).lastPathComponent
        case .automatic: return "automatic"
        }
    }

    func testTheOrderOfTheSources() throws {
        let dir = try Fixtures.scratch(self)
        let videos = dir.appendingPathComponent("videos"), out = dir.appendingPathComponent("out")
        let video = videos.appendingPathComponent("v.mp4").path
        func locate(_ actions: String? = nil, own: Set<String> = []) throws -> String {
            source(try TimelineInput.locate(input: video, outputDirectory: out, actionsFile: actions) { own.contains($0) })
        }
        XCTAssertEqual(try locate(), "automatic")
        let upstream = videos.appendingPathComponent("v_left_mirrored_coded.csv")
        try write("frame,action,AU12_r\n0,BL,0\n1,SS,1\n2,SS,1\n", upstream)
        XCTAssertEqual(try locate(), "upstream v_left_mirrored_coded.csv")
        XCTAssertEqual(try locate(own: [upstream.standardizedFileURL.path]), "automatic", "the study's own output is never read back")
        try write("action,start,end\nBL,0,1\n", videos.appendingPathComponent("v_actions.csv"))
        XCTAssertEqual(try locate(), "coding videos")
        try write("action,start,end\nBL,0,2\n", out.appendingPathComponent("v_actions.csv"))
        XCTAssertEqual(try locate(), "coding out", "a correction saved beside the outputs comes first")
        let given = dir.appendingPathComponent("given/any.csv")
        try write("action,start,end\nRE,0,1\n", given)
        XCTAssertEqual(try locate(given.path), "coding given")
        XCTAssertThrowsError(try locate(dir.appendingPathComponent("missing.csv").path)) { error in
            XCTAssertTrue("\(error)".hasSuffix("missing.csv: no such file"), "\(error)")
        }
        // A bad coding found beside the outputs is an error, not passed over.
        try write("action,start,end\nXX,0,2\n", out.appendingPathComponent("v_actions.csv"))
        XCTAssertThrowsError(try locate()) { error in
            XCTAssertTrue("\(error)".hasSuffix("v_actions.csv line 2: unknown movement code 'XX' (codes: \(ExamAction.codes))"), "\(error)")
        }
    }

    func testAnUpstreamCodedCSVBecomesSegments() throws {
        let path = try Fixtures.scratch(self).appendingPathComponent("v_left_mirrored_coded.csv")
        try write("frame, timestamp, action, AU12_r\n1,0,,0\n2,0.1,BL,0\n3,0.2,BL,0\n4,0.3,ss,1\n5,0.4,SS,1\n6,0.5,,0\n", path)
        let coding = try UpstreamCoding(path: path.path)
        let (segments, warnings) = coding.timed(frameTimes: (0..<6).map { Double($0) / 10 }, duration: 0.6)
        XCTAssertEqual(warnings, [])
        XCTAssertEqual(segments.map(\.action), [.rest, .softSmile])
        XCTAssertEqual(segments.map(\.start), [0.1, 0.3])
        XCTAssertEqual(segments.map(\.end), [0.3, 0.5])
        XCTAssertTrue(segments.allSatisfy { $0.source == .upstreamCSV })
        let short = coding.timed(frameTimes: (0..<4).map { Double($0) / 10 }, duration: 0.4)
        XCTAssertEqual(short.segments.last?.end, 0.4)
        XCTAssertEqual(short.warnings.count, 1)
        try write("frame,action\n1,BL\n2,QQ\n", path)
        XCTAssertThrowsError(try UpstreamCoding(path: path.path)) { error in
            XCTAssertEqual("\(error)", "\(path.path) line 3: unknown movement code 'QQ' (codes: \(ExamAction.codes))")
        }
        try write("frame,AU12_r\n1,0\n", path)
        XCTAssertThrowsError(try UpstreamCoding(path: path.path)) { error in
            XCTAssertTrue("\(error)".hasSuffix("line 1: no action column in the header; not an action-coded CSV"))
        }
    }
}
