import FaceMirror
import FaceMirrorCore
import Foundation
import MediaBinding
import ModelToolchain
import TestSupport
import XCTest

/// Outputs are `FrameSink`s: a sink of the test's own, plugged into the processor, sees every frame's
/// analysis and writes a file that is committed (or discarded) with the built-in outputs.
final class FrameSinkTests: XCTestCase {
    /// Keeps what it was given and writes one line per frame to its own output file.
    final class Collector: FrameSink {
        var analyses: [FrameAnalysis] = []
        var mirroredFrames = 0
        var finished = 0
        var failAt: Int?
        private let path: String
        private var text = ""

        init(context: SinkContext, failAt: Int? = nil) {
            path = context.files.temporaryPath(for: "_status.txt")
            self.failAt = failAt
        }

        func write(_ f: AnalysedFrame) throws {
            let frame = f.frame, analysis = f.analysis, mirrored = f.mirrored
            if analysis.index == failAt { throw OutputError.cannotWrite(path: path, reason: "the test's sink fails on purpose") }
            XCTAssertEqual(frame.index, analysis.index)
            analyses.append(analysis)
            if let mirrored {
                mirroredFrames += 1
                XCTAssertEqual(mirrored.right.width, frame.image.width)
                XCTAssertNotEqual(mirrored.right, mirrored.left)
            }
            text += "\(analysis.index) \(analysis.status)\n"
        }

        func finish(_ video: VideoResults) throws {
            finished += 1
            try text.write(toFile: path, atomically: false, encoding: .utf8)
        }
    }

    func testOwnSinkReceivesEveryFramesAnalysis() throws {
        let dir = try Fixtures.scratch(self)
        let video = try Fixtures.sampleClip(frames: 12, in: dir)
        var options = ProcessOptions(outputDirectory: dir.appendingPathComponent("out"))
        options.debugVideo = false
        try FileManager.default.createDirectory(at: options.outputDirectory, withIntermediateDirectories: true)
        var collector: Collector?
        let summary = try VideoProcessor.dlibDefault(logger: Fixtures.logger).process(video, options: options, sinks: [{ context in
            XCTAssertEqual(context.layout, .dlib68)
            XCTAssertEqual(context.video.width, 1280)
            let c = Collector(context: context)
            collector = c
            return c
        }])
        let c = try XCTUnwrap(collector)
        XCTAssertEqual(c.finished, 1)
        XCTAssertEqual(c.analyses.map(\.index), Array(0..<12))
        for a in c.analyses { XCTAssertEqual(a.time, Fixtures.sampleTime(a.index), accuracy: 1e-6) }
        XCTAssertEqual(c.analyses.first?.status, .detected, "the detector places the face on the first frame")
        XCTAssertEqual(c.analyses.dropFirst().map(\.status), [FrameStatus](repeating: .tracked, count: 11), "then it is tracked")
        XCTAssertEqual(c.analyses.first?.newTrack, true)
        XCTAssertEqual(c.mirroredFrames, 12)
        XCTAssertEqual(summary.framesWithFace, 12)
        // The analysis is what the landmark CSV says (3 decimals), raw landmarks beside the smoothed ones.
        let table = try CSVTable(path: options.outputDirectory.appendingPathComponent("clip_landmarks.csv").path)
        for a in c.analyses {
            let lm = try XCTUnwrap(a.landmarks)
            XCTAssertEqual(table.column("x_30")[a.index], Double(lm.xy[60]), accuracy: 0.0005)
            XCTAssertEqual(table.column("yaw")[a.index], a.yaw, accuracy: 0.0005)
            XCTAssertEqual(a.midline, lm.midline)
            XCTAssertNotNil(a.rawLandmarks)
            XCTAssertEqual(a.confidence, table.column("confidence")[a.index], accuracy: 0.00005)
        }
        XCTAssertEqual(c.analyses[0].rawLandmarks, c.analyses[0].landmarks, "nothing to smooth with on the first frame")
        XCTAssertNotEqual(c.analyses[5].rawLandmarks, c.analyses[5].landmarks, "smoothed later")
        // The sink's file is committed with the others under its final name.
        let status = options.outputDirectory.appendingPathComponent("clip_status.txt").path
        XCTAssertTrue(summary.outputs.contains(status))
        let lines = try String(contentsOfFile: status, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 12)
        XCTAssertEqual(lines.first, "0 detected")
    }

    func testAFailingSinkLeavesNoOutputs() throws {
        let dir = try Fixtures.scratch(self)
        let video = try Fixtures.sampleClip(frames: 6, in: dir)
        // In both pipelines: the overlapped one stops its three threads on the first error.
        for mode in PipelineMode.allCases {
            let out = dir.appendingPathComponent("out-\(mode.rawValue)")
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            var options = ProcessOptions(outputDirectory: out)
            options.debugVideo = false
            options.pipeline = mode
            XCTAssertThrowsError(try VideoProcessor.dlibDefault(logger: Fixtures.logger).process(video, options: options, sinks: [
                { Collector(context: $0, failAt: 3) },
            ])) { XCTAssertTrue("\($0)".contains("fails on purpose"), "\($0)") }
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.path), [], "\(mode): all outputs or none")
        }
    }

    /// The overlapped pipeline (decoding, following and the outputs in three threads) writes what the
    /// sequential one writes, byte for byte: videos with their audio, CSVs, summaries, stills.
    func testOverlappedAndSequentialPipelinesWriteTheSameBytes() throws {
        let dir = try Fixtures.scratch(self)
        let video = try Fixtures.sample()
        var written: [PipelineMode: [String: Data]] = [:]
        for mode in PipelineMode.allCases {
            let out = dir.appendingPathComponent(mode.rawValue)
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            var options = ProcessOptions(outputDirectory: out)
            options.pipeline = mode
            let summary = try VideoProcessor.dlibDefault(logger: Fixtures.logger).process(video, options: options)
            XCTAssertEqual(summary.frames, Fixtures.sampleFrames)
            // Timings and the record of when and how it ran differ by nature; everything else must not.
            let varying: Set<String> = [OutputNames.provenance, OutputNames.reportText, OutputNames.reportJSON]
            for name in try FileManager.default.contentsOfDirectory(atPath: out.path) where !varying.contains { name.hasSuffix($0) } {
                written[mode, default: [:]][name] = try Data(contentsOf: out.appendingPathComponent(name))
            }
        }
        let sequential = try XCTUnwrap(written[.sequential]), overlapped = try XCTUnwrap(written[.overlapped])
        XCTAssertEqual(sequential.keys.sorted(), overlapped.keys.sorted())
        XCTAssertTrue(sequential.keys.contains { $0.hasSuffix(OutputNames.rightMirrored) } && sequential.count == 11, "\(sequential.keys)")
        for (name, data) in sequential { XCTAssertTrue(overlapped[name] == data, "\(name) differs") }
    }
}
