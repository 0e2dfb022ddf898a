import FaceModels
import FaceMirror
import FaceMirrorCore
import Foundation
import ModelToolchain
import TestSupport
import XCTest

/// facemirror against OpenFace 3.0's Python path on the same lossless video: decode, RetinaFace and
/// STAR end to end, frame by frame (`--raw`: each frame as the reference sees it alone).
final class ReferenceParityTests: XCTestCase {
    func testSTARLandmarksEqualThePythonReferenceOnALosslessVideo() throws {
        let shared = try Fixtures.requireShared("no models or reference script")
        let python = Fixtures.repoRoot.appendingPathComponent(".refenv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw XCTSkip("no reference Python environment: run scripts/env/reference_env.sh")
        }
        let dir = try Fixtures.scratch(self)
        // FFV1 with bgr0 pixels: both sides decode exactly the same BGR frames.
        let video = dir.appendingPathComponent("lossless.mkv").path
        try Fixtures.ffmpeg(["-i", try Fixtures.sample(), "-frames:v", "12", "-c:v", "ffv1", "-pix_fmt", "bgr0", "-an", video])
        let detector = shared.appendingPathComponent("models/trained/retinaface_mnet025_widerface_op17.onnx").path
        let star = shared.appendingPathComponent("models/replica/star_wflw98_replica.onnx").path
        let reference = dir.appendingPathComponent("reference.csv").path
        let script = Fixtures.repoRoot.appendingPathComponent("scripts/fixtures/star_reference.py").path
        try Fixtures.run("/usr/bin/env", ["FACEMIRROR_SHARED=\(shared.path)", python, script, video, detector, star, reference])

        var stack = ModelStack()
        stack.detector = ModelFile(path: detector)
        stack.landmarks = ModelFile(path: star)
        var options = ProcessOptions(outputDirectory: dir.appendingPathComponent("out"))
        options.raw = true
        options.debugVideo = false
        try FileManager.default.createDirectory(at: options.outputDirectory, withIntermediateDirectories: true)
        _ = try stack.load(logger: Fixtures.logger).process(video, options: options)

        let ours = try CSVTable(path: options.outputDirectory.appendingPathComponent("lossless_landmarks.csv").path)
        let theirs = try CSVTable(path: reference)
        XCTAssertEqual(ours.rows.count, 12)
        XCTAssertEqual(theirs.rows.count, 12)
        XCTAssertEqual(ours.column("success"), theirs.column("success"))
        var worst = 0.0
        for i in 0..<98 {
            for axis in ["x", "y"] {
                for (a, b) in zip(ours.column("\(axis)_\(i)"), theirs.column("\(axis)_\(i)")) { worst = max(worst, abs(a - b)) }
            }
        }
        print("STAR end to end vs the Python reference: max \(worst) px over 12 frames")
        // The CSV keeps 3 decimals: 0.0005 px of rounding, and float arithmetic in the decode.
        XCTAssertLessThanOrEqual(worst, 0.001)
    }
}
