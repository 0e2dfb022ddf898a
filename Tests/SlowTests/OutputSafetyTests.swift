import FaceMirror
import FaceMirrorCore
import Foundation
import MediaBinding
import TestSupport
import XCTest

/// A video's outputs appear together or not at all, never over a file that is not ours, and what a
/// killed run leaves is cleaned up by the next.
final class OutputSafetyTests: XCTestCase {
    /// During the run, writes a file of someone else's under one of the video's final names.
    final class Intruder: FrameSink {
        let path: String
        init(path: String) { self.path = path }
        func write(_ f: AnalysedFrame) throws {
            if f.frame.index == 2 { try "someone else's".write(toFile: path, atomically: false, encoding: .utf8) }
        }
        func finish(_ video: VideoResults) throws {}
    }

    func testAFileThatAppearsDuringTheRunIsNotReplaced() throws {
        let dir = try Fixtures.scratch(self)
        let video = try Fixtures.sampleClip(frames: 6, in: dir, fast: true)
        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        var options = ProcessOptions(outputDirectory: out)
        options.debugVideo = false
        let csv = out.appendingPathComponent("clip_landmarks.csv").path
        let processor = try VideoProcessor.dlibDefault(logger: Fixtures.logger)
        XCTAssertThrowsError(try processor.process(video, options: options, sinks: [{ _ in Intruder(path: csv) }])) {
            XCTAssertTrue("\($0)".contains("outputs already exist"), "\($0)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.path), ["clip_landmarks.csv"], "none of ours moved in")
        XCTAssertEqual(try String(contentsOfFile: csv, encoding: .utf8), "someone else's")
        // With --overwrite the run's outputs replace it, all of them.
        options.overwrite = true
        _ = try processor.process(video, options: options, sinks: [{ _ in Intruder(path: csv) }])
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: out.path)),
                       Set(OutputNames.all(debugVideo: false).filter { $0 != OutputNames.examStills }.map { "clip" + $0 }))
        XCTAssertEqual(try CSVTableRows.count(csv), 6)
    }

    /// A folder where an output goes (or a link to someone's file) is an error, with --overwrite too: it is
    /// neither renamed away to a hidden name nor followed. Before decoding, and when one appears mid-run.
    func testAFolderOrALinkAtAnOutputNameIsAnErrorEvenWithOverwrite() throws {
        let dir = try Fixtures.scratch(self)
        let video = try Fixtures.sampleClip(frames: 6, in: dir, fast: true)
        let out = dir.appendingPathComponent("out")
        let folder = out.appendingPathComponent("clip_landmarks.csv")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "kept".write(to: folder.appendingPathComponent("inside.txt"), atomically: true, encoding: .utf8)
        var options = ProcessOptions(outputDirectory: out)
        options.debugVideo = false
        options.overwrite = true
        let processor = try VideoProcessor.dlibDefault(logger: Fixtures.logger)
        XCTAssertThrowsError(try processor.process(video, options: options)) {
            XCTAssertEqual("\($0)", "\(folder.path): a folder is where this output goes; facemirror replaces only files, even with --overwrite (move it away)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.path), ["clip_landmarks.csv"], "nothing else written, nothing hidden")
        XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("inside.txt"), encoding: .utf8), "kept")
        try FileManager.default.removeItem(at: folder)

        // A link to a file elsewhere appears during the run: the outputs are not moved in, the file it
        // points to is untouched.
        let victim = dir.appendingPathComponent("victim.txt")
        try "victim".write(to: victim, atomically: true, encoding: .utf8)
        final class Linker: FrameSink {
            let link: String, target: String
            init(link: String, target: String) { self.link = link; self.target = target }
            func write(_ f: AnalysedFrame) throws { if f.frame.index == 2 { symlink(target, link) } }
            func finish(_ video: VideoResults) throws {}
        }
        let csv = out.appendingPathComponent("clip_landmarks.csv").path
        XCTAssertThrowsError(try processor.process(video, options: options, sinks: [{ _ in Linker(link: csv, target: victim.path) }])) {
            XCTAssertTrue("\($0)".hasPrefix("\(csv): a symbolic link is where this output goes"), "\($0)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.path), ["clip_landmarks.csv"])
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: csv), victim.path)
        XCTAssertEqual(try String(contentsOf: victim, encoding: .utf8), "victim")
    }

    func testALongNameWhoseOutputsFitIsProcessed() throws {
        // 230 characters: "<stem>_right_mirrored.mp4" is 249, within the 255 a file name may have; a temporary
        // named after the stem as well as the suffix would not fit.
        let dir = try Fixtures.scratch(self)
        let stem = String(repeating: "patient_0042_session_3_", count: 10)
        XCTAssertEqual(stem.count, 230)
        let video = try Fixtures.sampleClip(frames: 4, in: dir, name: stem + ".mp4", fast: true)
        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        var options = ProcessOptions(outputDirectory: out)
        options.debugVideo = false
        let summary = try VideoProcessor.dlibDefault(logger: Fixtures.logger).process(video, options: options)
        XCTAssertEqual(summary.frames, 4)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent(stem + OutputNames.rightMirrored).path))
    }

    /// 240 characters: the outputs' names would pass the 255 bytes a file name may have. Refused before the
    /// file is even opened (here it is not a video at all, and the error is about the name), not after the
    /// whole video was processed.
    func testANameWhoseOutputsCannotFitIsRefusedBeforeDecoding() throws {
        let dir = try Fixtures.scratch(self)
        let stem = String(repeating: "patient_0042_session_3_", count: 11).prefix(240)
        let video = dir.appendingPathComponent(stem + ".mp4")
        try Data("not a video".utf8).write(to: video)
        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        var options = ProcessOptions(outputDirectory: out)
        options.debugVideo = false
        XCTAssertThrowsError(try VideoProcessor.dlibDefault(logger: Fixtures.logger).process(video.path, options: options)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("\(video.path): its output …_right_mirrored.mp4 would have a 259-byte name, more than the 255"), text)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.path), [], "nothing written")
    }

    func testTemporariesOfKilledRunsAreRemovedAndThoseOfLiveRunsKept() throws {
        let dir = try Fixtures.scratch(self)
        let video = try Fixtures.sampleClip(frames: 4, in: dir, fast: true)
        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        // A process that has ended: its pid is free.
        let ended = Process()
        ended.executableURL = URL(fileURLWithPath: "/bin/true")
        try ended.run()
        ended.waitUntilExit()
        let host = TemporaryName.host
        let dead = ".fm-\(host)-\(ended.processIdentifier)-3_left_mirrored.mp4"
        let live = ".fm-\(host)-\(getpid())-1_landmarks.csv"      // this test process: alive
        let elsewhere = ".fm-otherhost-\(ended.processIdentifier)-2_debug.mp4"  // another machine's: not ours to judge
        for name in [dead, live, elsewhere, "notes.txt"] {
            try Data("x".utf8).write(to: out.appendingPathComponent(name))
        }
        var options = ProcessOptions(outputDirectory: out)
        options.debugVideo = false
        _ = try VideoProcessor.dlibDefault(logger: Fixtures.logger).process(video, options: options)
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: out.path))
        XCTAssertFalse(names.contains(dead), "the killed run's temporary is removed")
        XCTAssertTrue(names.isSuperset(of: [live, elsewhere, "notes.txt"]), "\(names)")
        XCTAssertTrue(names.contains("clip_landmarks.csv"))
    }

    func testAClosedPipeOnStdoutCleansUpAsCtrlCDoes() throws {
        let dir = try Fixtures.scratch(self)
        // Long enough that the progress line after the first comes when `head` has gone (every 5 s).
        let video = try Fixtures.sampleClip(frames: 600, in: dir, name: "long.mp4", fast: true)
        let out = dir.appendingPathComponent("out")
        let script = "\"\(Fixtures.cli())\" process \"\(video)\" -o \"\(out.path)\" 2>&1 | head -n1 >/dev/null; echo ${PIPESTATUS[0]}"
        let r = try Fixtures.run("/bin/bash", ["-c", script])
        XCTAssertEqual(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "\(128 + SIGPIPE)", "ended by SIGPIPE")
        XCTAssertEqual(try Fixtures.outputNames(in: out.path), [], "no hidden partial files")
    }

    func testCtrlCAtOnceStopsTheRun() throws {
        let dir = try Fixtures.scratch(self)
        let video = try Fixtures.sampleClip(frames: 120, in: dir, fast: true)
        let out = dir.appendingPathComponent("out")
        for delay in [0.0, 0.02, 0.1, 0.3] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: Fixtures.cli())
            p.arguments = ["process", video, "-o", out.path, "--overwrite"]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            Thread.sleep(forTimeInterval: delay)
            kill(p.processIdentifier, SIGINT)
            p.waitUntilExit()
            // Handled (status 130) or, before the handlers exist, the default action: never a finished run.
            let stopped = p.terminationReason == .uncaughtSignal || p.terminationStatus == 128 + SIGINT
            XCTAssertTrue(stopped, "after \(delay) s: status \(p.terminationStatus)")
            // Stopped before the output folder was made: nothing to list; otherwise the folder must list.
            let listed = FileManager.default.fileExists(atPath: out.path) ? try Fixtures.outputNames(in: out.path) : []
            XCTAssertEqual(listed, [], "after \(delay) s")
        }
    }
}

/// Rows of a CSV file after its header.
enum CSVTableRows {
    static func count(_ path: String) throws -> Int {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").count - 1
    }
}
