import Foundation
import TestSupport
import XCTest

/// `report` and `study summarize` replace only what facemirror wrote: someone's index.html or
/// study_summary.csv stays unless --overwrite is given, and a link or a device is never replaced.
final class ForeignFileTests: XCTestCase {
    func testSomeoneElsesIndexAndSummaryAreNotReplaced() throws {
        let dir = try Fixtures.scratch(self)
        let inputs = dir.appendingPathComponent("in"), out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: inputs, withIntermediateDirectories: true)
        _ = try Fixtures.sampleClip(frames: 3, in: inputs, name: "v.mp4", fast: true)
        try Fixtures.run(Fixtures.cli(), ["process", inputs.path, "-o", out.path, "--au", "none", "--no-debug-video", "--no-report"])

        let index = out.appendingPathComponent("index.html"), summary = out.appendingPathComponent("study_summary.csv")
        try Data("<p>the lab's own page</p>".utf8).write(to: index)
        let refused = try Fixtures.run(Fixtures.cli(), ["report", out.path], allowFailure: true)
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("\(index.path): cannot write (it exists and was not written by facemirror; --overwrite replaces it)"), refused.stderr)
        XCTAssertEqual(try String(contentsOf: index, encoding: .utf8), "<p>the lab's own page</p>")
        try Fixtures.run(Fixtures.cli(), ["report", out.path, "--overwrite"])
        XCTAssertTrue(try String(contentsOf: index, encoding: .utf8).contains("<meta name=\"generator\" content=\"facemirror\">"))
        try Fixtures.run(Fixtures.cli(), ["report", out.path])  // its own index: replaced without asking

        try Fixtures.run(Fixtures.cli(), ["study", "summarize", out.path])
        try Fixtures.run(Fixtures.cli(), ["study", "summarize", out.path])  // its own table: replaced without asking
        try Data("my notes\n".utf8).write(to: summary)
        let notes = try Fixtures.run(Fixtures.cli(), ["study", "summarize", out.path], allowFailure: true)
        XCTAssertNotEqual(notes.status, 0)
        XCTAssertTrue(notes.stderr.contains("it exists and was not written by facemirror"), notes.stderr)
        XCTAssertEqual(try String(contentsOf: summary, encoding: .utf8), "my notes\n")
        try Fixtures.run(Fixtures.cli(), ["study", "summarize", out.path, "--overwrite"])
        XCTAssertTrue(try String(contentsOf: summary, encoding: .utf8).hasPrefix("path,status,reason,frames,"))

        // A link as -o: refused even with --overwrite; the link and what it points to stay as they were.
        let target = dir.appendingPathComponent("target.csv"), link = dir.appendingPathComponent("link.csv")
        try Data("target\n".utf8).write(to: target)
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
        let linked = try Fixtures.run(Fixtures.cli(), ["study", "summarize", out.path, "-o", link.path, "--overwrite"], allowFailure: true)
        XCTAssertNotEqual(linked.status, 0)
        XCTAssertTrue(linked.stderr.contains("\(link.path): cannot write (it is a symbolic link, not a regular file; left alone)"), linked.stderr)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link.path), target.path)
        XCTAssertEqual(try String(contentsOf: target, encoding: .utf8), "target\n")
        let device = try Fixtures.run(Fixtures.cli(), ["study", "summarize", out.path, "-o", "/dev/full", "--overwrite"], allowFailure: true)
        XCTAssertTrue(device.stderr.contains("/dev/full: cannot write (it is a character device, not a regular file; left alone)"), device.stderr)
    }
}
