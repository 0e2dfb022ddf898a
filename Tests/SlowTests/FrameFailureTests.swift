import FaceModels
import FaceMirror
import FaceMirrorCore
import Foundation
import Logging
import MediaBinding
import ModelToolchain
import TestSupport
import XCTest

/// A stage that fails on one frame fails that frame only: `success=0`, NaN values, a reason counted in
/// the summary and the report, and the video goes on.
final class FrameFailureTests: XCTestCase {
    /// dlib's real landmark model, made to fail on chosen calls (one call per frame while the face is
    /// tracked): an error on the given calls, every point in one place on others, or every point moved
    /// 3000 px to the right, out of the frame.
    final class FaultyLandmarks: LandmarkDetector {
        let inner: DlibLandmarkDetector
        let throwOn: Set<Int>, collapseOn: Set<Int>, moveOutOn: Set<Int>
        private(set) var calls = 0
        var name: String { inner.name }
        var layout: LandmarkLayout { inner.layout }

        init(throwOn: Set<Int> = [], collapseOn: Set<Int> = [], moveOutOn: Set<Int> = []) throws {
            inner = try DlibLandmarkDetector()
            self.throwOn = throwOn
            self.collapseOn = collapseOn
            self.moveOutOn = moveOutOn
        }

        func landmarks(in image: Image, box: FaceBox, timer: StageTimer) throws -> FaceLandmarks {
            defer { calls += 1 }
            if throwOn.contains(calls) { throw ModelError.invalid(path: "landmarks.dat", reason: "this call fails on purpose") }
            let lm = try inner.landmarks(in: image, box: box, timer: timer)
            if collapseOn.contains(calls) { return FaceLandmarks(layout: lm.layout, xy: [Float](repeating: 300, count: lm.xy.count)) }
            if moveOutOn.contains(calls) {
                return FaceLandmarks(layout: lm.layout, xy: lm.xy.enumerated().map { $0.offset % 2 == 0 ? $0.element + 3000 : $0.element })
            }
            return lm
        }
    }

    func testAStageErrorOrADegenerateMidlineFailsOneFrameAndTheVideoGoesOn() throws {
        let dir = try Fixtures.scratch(self)
        let video = try Fixtures.sampleClip(frames: 8, in: dir)
        let log = CapturedLog()
        let logger = Logger(label: "test") { _ in log }
        let processor = VideoProcessor(detector: try DlibFaceDetector(), landmarker: try FaultyLandmarks(throwOn: [2], collapseOn: [5]),
                                       logger: logger)
        var options = ProcessOptions(outputDirectory: dir.appendingPathComponent("out"))
        try FileManager.default.createDirectory(at: options.outputDirectory, withIntermediateDirectories: true)
        options.debugVideo = false
        let summary = try processor.process(video, options: options)
        XCTAssertEqual(summary.frames, 8)
        XCTAssertEqual(summary.framesWithFace, 6)
        XCTAssertEqual(summary.failures.map(\.name), ["dlib 68-point error", "degenerate midline"])
        XCTAssertEqual(summary.failures.map(\.frames), [1, 1])
        let csv = try CSVTable(path: options.outputDirectory.appendingPathComponent("clip_landmarks.csv").path)
        XCTAssertEqual(csv.rows.count, 8)
        XCTAssertEqual(csv.column("success"), [1, 1, 0, 1, 1, 0, 1, 1])
        XCTAssertTrue(csv.column("x_30")[2].isNaN && csv.column("yaw")[5].isNaN)
        // The mirrored videos keep every frame.
        XCTAssertEqual(try Fixtures.timestamps(options.outputDirectory.appendingPathComponent("clip_right_mirrored.mp4").path).count, 8)
        // One warning names the frame and the error; the report counts the frames per status.
        let warnings = log.messages.filter { $0.hasPrefix("warning") }
        XCTAssertEqual(warnings.count, 1, "\(log.messages)")
        XCTAssertTrue(warnings.first?.contains("frame 2: dlib 68-point error: landmarks.dat: this call fails on purpose") ?? false, "\(warnings)")
        // Detected on frames 0, 3 (after the error) and 6 (after the degenerate frame), tracked in between.
        XCTAssertTrue(summary.report.text.contains("frames by status: detected 3, tracked 3, dlib 68-point error 1, degenerate midline 1\n"),
                      summary.report.text)
        let counts = Dictionary(uniqueKeysWithValues: summary.report.frameCounts.map { ($0.name, $0.frames) })
        XCTAssertEqual(counts["dlib 68-point error"], 1)
        XCTAssertEqual(counts["degenerate midline"], 1)
        XCTAssertEqual(counts.values.reduce(0, +), 8, "every frame counted once")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: options.outputDirectory.appendingPathComponent("clip_performance.json"))) as? [String: Any]
        XCTAssertEqual((json?["frame_counts"] as? [[String: Any]])?.count, counts.count)
    }

    func testTheCommandLineSaysWhatWasNotMeasured() throws {
        let dir = try Fixtures.scratch(self)
        // A clip whose first three frames are blank: no face until the fourth.
        let video = dir.appendingPathComponent("gap.mp4").path
        try Fixtures.ffmpeg(["-i", try Fixtures.sample(), "-frames:v", "9", "-vf", "drawbox=enable='between(n,0,2)':c=gray:t=fill",
                             "-c:v", "libx264", "-crf", "16", "-an", video])
        let r = try Fixtures.run(Fixtures.cli(), ["process", video, "-o", dir.appendingPathComponent("out").path, "--no-debug-video"])
        XCTAssertTrue(r.stdout.contains("face found in 6 of 9 frames"), r.stdout)
        XCTAssertTrue(r.stdout.contains("not measured: no face detected 3"), r.stdout)
        XCTAssertTrue(r.stdout.contains("frames by status: no face detected 3, detected 1, tracked 5"), r.stdout)
    }

    /// A tracked face whose picture goes blank (a cut to grey mid-video) is lost on those frames: a
    /// landmark model still returns a face-shaped fit on a flat picture, and the tracker's contrast
    /// check refuses it; the detector then finds nothing until the face is back.
    func testBlankFramesInsideATrackHaveNoFace() throws {
        let dir = try Fixtures.scratch(self)
        let clip = try Fixtures.sampleClip(frames: 20, in: dir, name: "clip.mp4", fast: true)
        let gap = dir.appendingPathComponent("gap.mp4").path
        try Fixtures.ffmpeg(["-i", clip, "-vf", "drawbox=x=0:y=0:w=iw:h=ih:color=gray:t=fill:enable='between(n,8,11)'", "-c:v", "libx264",
                             "-preset", "ultrafast", gap])
        var options = ProcessOptions(outputDirectory: dir)
        options.debugVideo = false
        let summary = try VideoProcessor.dlibDefault(logger: Fixtures.logger).process(gap, options: options)
        let success = try CSVTable(path: dir.appendingPathComponent("gap_landmarks.csv").path).column("success")
        XCTAssertEqual(success, (0..<20).map { (8...11).contains($0) ? 0 : 1 })
        XCTAssertEqual(summary.detections, 6, "once at the start, on each grey frame, and when the face is back")
        XCTAssertEqual(summary.report.detectorRuns, 6)
        XCTAssertTrue(summary.report.text.contains("face detector ran on 6 of 20 frames (30.0 %)\n"), summary.report.text)
    }
}
