import FaceModels
import FaceMirror
import FaceMirrorCore
import Foundation
import TestSupport
import XCTest

/// The same input with the same options gives the same numbers: run twice, and with one thread or
/// two for decoding, encoding and ONNX Runtime, the CSVs are byte-identical on both stacks.
final class ReproducibilityTests: XCTestCase {
    private func csvs(_ dir: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) where name.hasSuffix(".csv") {
            out[name] = try Data(contentsOf: dir.appendingPathComponent(name))
        }
        return out
    }

    private func run(_ video: String, stack: ModelStack?, threads: Int, into dir: URL) throws -> [String: Data] {
        var options = ProcessOptions(outputDirectory: dir)
        options.debugVideo = false
        options.threads = threads
        options.encoder.threads = threads
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var s = stack ?? ModelStack()
        s.session.intraOpThreads = threads
        _ = try s.load(logger: Fixtures.logger).process(video, options: options)
        return try csvs(dir)
    }

    func testTheDlibStackGivesTheSameCSVsTwiceAndOnAnyThreadCount() throws {
        let dir = try Fixtures.scratch(self)
        let sample = try Fixtures.sample()
        let first = try run(sample, stack: nil, threads: 1, into: dir.appendingPathComponent("a"))
        let again = try run(sample, stack: nil, threads: 1, into: dir.appendingPathComponent("b"))
        let two = try run(sample, stack: nil, threads: 2, into: dir.appendingPathComponent("c"))
        XCTAssertEqual(first.keys.sorted(), ["grace_hopper_rot_asymmetry.csv", "grace_hopper_rot_exam.csv", "grace_hopper_rot_landmarks.csv",
                                             "grace_hopper_rot_timeline.csv"])
        XCTAssertEqual(first, again, "run twice")
        XCTAssertEqual(first, two, "one thread or two")
    }

    func testTheOnnxStackGivesTheSameCSVsTwiceAndOnAnyThreadCount() throws {
        let shared = try Fixtures.requireShared("no ONNX models to run")
        let dir = try Fixtures.scratch(self)
        let video = dir.appendingPathComponent("clip.mp4").path
        try Fixtures.ffmpeg(["-i", try Fixtures.sample(), "-frames:v", "8", "-c:v", "libx264", "-qp", "0", "-c:a", "copy", video])
        var stack = ModelStack()
        stack.detector = ModelFile(path: shared.appendingPathComponent("models/trained/retinaface_mnet025_widerface_op17.onnx").path)
        stack.landmarks = ModelFile(path: shared.appendingPathComponent("models/trained/pfld_ghostone_wflw98.onnx").path)
        stack.mtl = ModelFile(path: shared.appendingPathComponent("models/replica/mtl_effnetb0_replica.onnx").path)
        let first = try run(video, stack: stack, threads: 1, into: dir.appendingPathComponent("a"))
        let again = try run(video, stack: stack, threads: 1, into: dir.appendingPathComponent("b"))
        let two = try run(video, stack: stack, threads: 2, into: dir.appendingPathComponent("c"))
        XCTAssertEqual(first.count, 10, "landmarks, asymmetry, the exam's timeline and table, two AU, two extra and two coded CSVs: \(first.keys.sorted())")
        XCTAssertEqual(first, again, "run twice")
        for name in first.keys.sorted() { XCTAssertEqual(first[name], two[name], "one thread or two: \(name)") }
    }
}
