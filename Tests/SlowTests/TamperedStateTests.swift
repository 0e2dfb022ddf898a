import FaceMirrorCore
import FileDigest
import Foundation
import GRDB
import Study
import TestSupport
import XCTest

/// A study folder is shared, so its state file is input: paths in it that leave the output folder are
/// never acted on, and a recorded output is removed only when it is the file the study wrote.
final class TamperedStateTests: XCTestCase {
    func testPathsInTheStateFileNeverLeaveTheStudy() throws {
        let dir = try Fixtures.scratch(self)
        let inputs = dir.appendingPathComponent("in"), out = dir.appendingPathComponent("a/out")
        try FileManager.default.createDirectory(at: inputs, withIntermediateDirectories: true)
        _ = try Fixtures.sampleClip(frames: 3, in: inputs, name: "v.mp4", fast: true)
        let process = ["process", inputs.path, "-o", out.path, "--au", "none", "--no-debug-video"]
        try Fixtures.run(Fixtures.cli(), process)

        // Someone else's files: one outside the study, one inside under an output's name with other bytes.
        let victim = dir.appendingPathComponent("victim.txt"), decoy = out.appendingPathComponent("v_debug.mp4")
        try Data("not the study's".utf8).write(to: victim)
        try Data("someone's video".utf8).write(to: decoy)
        let victimDigest = try FileDigest.sha256(ofFile: victim.path)
        let outputs = """
            [{"path":"../../victim.txt","bytes":15,"sha256":"\(victimDigest)"},{"path":"v_debug.mp4","bytes":15,"sha256":"\(String(repeating: "0", count: 64))"}]
            """
        let file = out.appendingPathComponent(StudyState.fileName(shard: nil)).path
        let db = try DatabaseQueue(path: file)
        try db.write { try $0.execute(sql: "UPDATE video SET outputs = ?, fingerprint = 'changed'", arguments: [outputs]) }
        try db.close()

        // The rerun redoes the video (its fingerprint changed) and removes the earlier outputs it does not
        // write again: neither of these, which the study did not write.
        let again = try Fixtures.run(Fixtures.cli(), process)
        XCTAssertTrue(again.stdout.contains("1 video: 1 done, 0 failed"), again.stdout + again.stderr)
        XCTAssertEqual(try String(contentsOf: victim, encoding: .utf8), "not the study's")
        XCTAssertEqual(try String(contentsOf: decoy, encoding: .utf8), "someone's video")

        // A row naming a place outside: `report` writes nothing there and says so.
        let db2 = try DatabaseQueue(path: file)
        try db2.write { try $0.execute(sql: "UPDATE video SET path = '../../pwn/x.mp4'") }
        try db2.close()
        let report = try Fixtures.run(Fixtures.cli(), ["report", out.path], allowFailure: true)
        XCTAssertNotEqual(report.status, 0)
        XCTAssertTrue(report.stderr.contains("the state names ../../pwn/x.mp4, outside the study; left alone"), report.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("pwn").path), "nothing written outside")
    }

    func testOnlyPlainRelativePathsAreContained() {
        for good in ["v.mp4", "p1/visit_landmarks.csv", "a b/..x.mp4"] { XCTAssertEqual(ContainedPath.relative(good), good) }
        for bad in ["", "/etc/passwd", "../x", "a/../../x", "a//b", "./x", "a/.", "a\0b"] { XCTAssertNil(ContainedPath.relative(bad), bad) }
    }
}
