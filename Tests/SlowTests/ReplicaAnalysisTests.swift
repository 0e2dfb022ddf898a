import Foundation
import ModelToolchain
import OrtBinding
import TestSupport
import XCTest

/// `model analyze` on the OpenFace 3.0 replicas: the figures of their build report.
final class ReplicaAnalysisTests: XCTestCase {
    func testReplicasMatchTheBuildReport() throws {
        let dir = try Fixtures.requireShared("the replicas are not available").appendingPathComponent("models/replica")
        let reportFile = dir.appendingPathComponent("build_report.json")
        guard FileManager.default.fileExists(atPath: reportFile.path) else { throw XCTSkip("no build_report.json in \(dir.path)") }
        // Present but unreadable or not an object: a failure, not a skip.
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: reportFile)) as? [String: Any], "build_report.json is not a JSON object")
        let work = try Fixtures.scratch(self)
        func check(_ key: String, file: String, shape: [String: [Int]], gmacs: [String: Any]) throws {
            let a = try ModelAnalysis.analyse(path: dir.appendingPathComponent(file).path, inputShapes: shape, workDirectory: work)
            let info = (report[key] as! [String: Any])
            let fileInfo = info["file"] as! [String: Any], params = info["params"] as! [String: Any]
            XCTAssertEqual(a.nodeCount, fileInfo["nodes"] as? Int, key)
            XCTAssertEqual(a.parameterElements, params["onnx_initializer_elements"] as? Int, key)
            XCTAssertEqual(Set(a.ops.map(\.op)), Set(fileInfo["op_types"] as! [String]), key)
            let perOp = gmacs["per_op"] as! [String: Int]
            for (op, macs) in perOp {
                XCTAssertEqual(Double(a.macs.perOp[op] ?? 0), Double(macs), accuracy: Double(macs) * 0.01, "\(key) \(op)")
            }
            let total = (gmacs["onnx_graph"] as! Double) * 1e9
            print(String(format: "%@: %.4f GMACs (build report %.4f)", key, Double(a.macs.total) / 1e9, total / 1e9))
            XCTAssertEqual(Double(a.macs.total), total, accuracy: total * 0.01, key)
        }
        let retina = (report["retinaface"] as! [String: Any])["gmacs"] as! [String: Any]
        try check("retinaface", file: "retinaface_mnet025_replica.onnx", shape: ["input": [1, 3, 640, 640]], gmacs: retina["640x640"] as! [String: Any])
        try check("retinaface", file: "retinaface_mnet025_replica.onnx", shape: ["input": [1, 3, 720, 1280]], gmacs: retina["720x1280"] as! [String: Any])
        try check("star", file: "star_wflw98_replica.onnx", shape: [:], gmacs: (report["star"] as! [String: Any])["gmacs"] as! [String: Any])
        try check("mtl", file: "mtl_effnetb0_replica.onnx", shape: [:], gmacs: (report["mtl"] as! [String: Any])["gmacs"] as! [String: Any])
    }
}
