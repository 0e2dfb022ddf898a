import FaceMirror
import FaceMirrorCore
import FileDigest
import Foundation
import TestSupport
import XCTest

/// `<stem>_provenance.json`: the completion record, written last, naming what made the outputs.
final class ProvenanceTests: XCTestCase {
    private func record(_ dir: URL) throws -> [String: Any] {
        let data = try Data(contentsOf: dir.appendingPathComponent("grace_hopper_rot_provenance.json"))
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func testTheRecordNamesTheBuildOptionsModelsLibrariesInputAndOutputs() throws {
        let dir = try Fixtures.scratch(self)
        let sample = try Fixtures.sample()
        var runs: [[String: Any]] = []
        for name in ["a", "b"] {
            var options = ProcessOptions(outputDirectory: dir.appendingPathComponent(name))
            options.commandLine = ["facemirror", "process", "grace_hopper_rot.mp4"]
            try FileManager.default.createDirectory(at: options.outputDirectory, withIntermediateDirectories: true)
            _ = try VideoProcessor.dlibDefault(logger: Fixtures.logger).process(sample, options: options)
            runs.append(try record(options.outputDirectory))
        }
        let r = runs[0]
        XCTAssertFalse((r["facemirror_version"] as? String ?? "").isEmpty, "the build's git describe")
        XCTAssertEqual(r["command_line"] as? [String], ["facemirror", "process", "grace_hopper_rot.mp4"])
        let options = try XCTUnwrap(r["options"] as? [String: String])
        XCTAssertEqual(options["smoothing"], "centred")
        XCTAssertEqual(options["seam_px"], "6.0")
        XCTAssertEqual(options["preset"], "veryfast")
        XCTAssertEqual(options["detector"], "dlib HOG")
        let models = try XCTUnwrap(r["models"] as? [[String: Any]])
        let dat = DlibLandmarkDetector.defaultModelPath
        XCTAssertEqual(models.first { $0["role"] as? String == "landmarks" }?["sha256"] as? String, try FileDigest.sha256(ofFile: dat))
        let libraries = try XCTUnwrap(r["libraries"] as? [String: String])
        XCTAssertEqual(Set(libraries.keys).intersection(["ffmpeg", "libavcodec", "opencv", "dlib"]).count, 4, "\(libraries)")
        let input = try XCTUnwrap(r["input"] as? [String: Any])
        XCTAssertEqual(input["sha256"] as? String, try FileDigest.sha256(ofFile: sample))
        XCTAssertEqual(input["width"] as? Int, 1280)
        XCTAssertEqual(input["announced_frames"] as? Int, 60)
        XCTAssertEqual(r["frames"] as? Int, 60)
        // Every other output, with the hash of the file that is there.
        let outputs = try XCTUnwrap(r["outputs"] as? [[String: Any]])
        XCTAssertEqual(Set(outputs.compactMap { $0["name"] as? String }),
                       Set(OutputNames.all(debugVideo: true).filter { $0 != OutputNames.provenance && $0 != OutputNames.examStills }.map { "grace_hopper_rot" + $0 }))
        for o in outputs {
            let name = try XCTUnwrap(o["name"] as? String)
            XCTAssertEqual(o["sha256"] as? String, try FileDigest.sha256(ofFile: dir.appendingPathComponent("a/\(name)").path), name)
        }
        // The performance report names the record.
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("a/grace_hopper_rot_performance.json"))) as? [String: Any]
        XCTAssertEqual(report?["provenance"] as? String, "grace_hopper_rot_provenance.json")
        // The same input and options again: only the times differ (and the report's hash, which holds its timings).
        func comparable(_ r: [String: Any]) throws -> Data {
            var r = r
            r["started"] = nil
            r["finished"] = nil
            r["outputs"] = (r["outputs"] as? [[String: Any]])?.filter { ($0["name"] as? String)?.contains("_performance.") == false }
            return try JSONSerialization.data(withJSONObject: r, options: [.sortedKeys])
        }
        XCTAssertEqual(try comparable(runs[0]), try comparable(runs[1]))
        XCTAssertNotNil(runs[1]["started"] as? String)
    }
}
