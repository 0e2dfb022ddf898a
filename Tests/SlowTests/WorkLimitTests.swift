import FaceMirrorCore
import Foundation
import TestSupport
import XCTest

/// Threads and jobs a run may ask for are bounded by the machine, negative numbers are read as numbers
/// (and refused as such), and a refused run starts nothing: no output folder, exit status 64.
final class WorkLimitTests: XCTestCase {
    func testThreadsJobsAndOrtThreadsAreBoundedByTheMachine() throws {
        let dir = try Fixtures.scratch(self)
        let video = try Fixtures.sampleClip(frames: 3, in: dir, fast: true)
        let out = dir.appendingPathComponent("out").path
        let cores = WorkLimits.cores, s = cores == 1 ? "" : "s"
        let cases: [([String], String)] = [
            (["--threads", "100000"], "--threads must be at most \(4 * cores) (4 × the \(cores) core\(s) of this machine), not 100000"),
            (["--threads", "-1"], "--threads must be 0 or more"),
            (["--jobs", "1000"], "--jobs must be at most \(cores) (one per core; this machine has \(cores)), not 1000"),
            (["--jobs", "-2"], "--jobs must be at least 1"),
            (["-j", "0"], "--jobs must be at least 1"),
            (["--ort-threads", "100000"], "--ort-threads must be at most \(4 * cores) (4 × the \(cores) core\(s) of this machine), not 100000"),
            (["--ort-threads", "-3"], "--ort-threads must be 0 or more"),
        ]
        for (options, message) in cases {
            let r = try Fixtures.run(Fixtures.cli(), ["process", video, "-o", out] + options, allowFailure: true)
            XCTAssertEqual(r.status, 64, "\(options): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(message), "\(options): \(r.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: out), "\(options): nothing started")
        }
        let help = try Fixtures.run(Fixtures.cli(), ["process", "--help"]).stdout
        XCTAssertTrue(help.contains("at most one per core") && help.contains("at most 4 per core"), help)
        // Within the limits the run goes ahead.
        let ok = try Fixtures.run(Fixtures.cli(), ["process", video, "-o", out, "--threads", "\(4 * cores)", "--jobs", "\(cores)", "--au", "none", "--no-report"])
        XCTAssertTrue(ok.stdout.hasSuffix("1 video: 1 done, 0 failed\n"), ok.stdout)
    }

    /// An input shape too large to allocate is refused before any model is loaded (it ended the process
    /// with SIGABRT), an overflowing one too.
    func testInputShapesAreBounded() throws {
        let model = try Fixtures.scratch(self).appendingPathComponent("m.onnx").path
        let huge = "1x3x100000x100000", overflowing = "1x3x4294967296x4294967296x4294967296"
        let cases: [([String], String)] = [
            (["model", "analyze", model, "--shape", "input=\(huge)"], "--shape input=\(huge): more than 67108864 elements (256 MiB of float32)"),
            (["model", "coverage", model, "--shape", "input=\(overflowing)"], "--shape input=\(overflowing): more than 67108864 elements"),
            (["bench", model, "--shape", huge], "--shape \(huge): more than 67108864 elements"),
        ]
        for (arguments, message) in cases {
            let r = try Fixtures.run(Fixtures.cli(), arguments, allowFailure: true)
            XCTAssertEqual(r.status, 64, "\(arguments): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(message), "\(arguments): \(r.stderr)")
        }
    }
}
