import Foundation
import TestSupport
import XCTest

/// The Kubernetes manifest has what an Indexed Job that splits a study needs (the Slurm file runs for
/// real in SlurmTests).
final class DeployTests: XCTestCase {
    func testTheIndexedJobManifestSplitsTheStudyByItsCompletionIndex() throws {
        let manifest = Fixtures.repoRoot.appendingPathComponent("deploy/k8s/facemirror-indexed-job.yaml").path
        // Debian's python3-yaml reads it (setup installs it); JSON comes back.
        let parsed = try Fixtures.run("/usr/bin/python3", ["-c", "import sys, json, yaml; json.dump(yaml.safe_load(open(sys.argv[1])), sys.stdout)", manifest])
        let job = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(parsed.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(job["apiVersion"] as? String, "batch/v1")
        XCTAssertEqual(job["kind"] as? String, "Job")
        let spec = try XCTUnwrap(job["spec"] as? [String: Any])
        XCTAssertEqual(spec["completionMode"] as? String, "Indexed")
        let completions = try XCTUnwrap(spec["completions"] as? Int)
        XCTAssertEqual(spec["parallelism"] as? Int, completions, "every shard at once")
        let pod = try XCTUnwrap((spec["template"] as? [String: Any])?["spec"] as? [String: Any])
        XCTAssertTrue(["Never", "OnFailure"].contains(pod["restartPolicy"] as? String ?? ""), "a Job's pods must not restart Always")
        let containers = try XCTUnwrap(pod["containers"] as? [[String: Any]])
        XCTAssertEqual(containers.count, 1)
        let container = containers[0]
        let env = Dictionary(uniqueKeysWithValues: (container["env"] as? [[String: Any]] ?? []).map { ($0["name"] as? String ?? "", $0["value"] as? String ?? "") })
        XCTAssertEqual(env["SHARDS"], "\(completions)", "the shard count is the number of completions")
        let command = ((container["command"] as? [String] ?? []) + (container["args"] as? [String] ?? [])).joined(separator: " ")
        XCTAssertTrue(command.contains("facemirror process"), command)
        XCTAssertTrue(command.contains("--shard \"$JOB_COMPLETION_INDEX/$SHARDS\""), command)
        // The study and its outputs are on one volume every pod mounts.
        let mounts = try XCTUnwrap(container["volumeMounts"] as? [[String: Any]])
        let mountPaths = mounts.compactMap { $0["mountPath"] as? String }
        for folder in [env["STUDY_DIR"], env["OUTPUT_DIR"]] {
            let path = try XCTUnwrap(folder)
            XCTAssertTrue(mountPaths.contains { path.hasPrefix($0 + "/") }, "\(path) is on a mounted volume")
        }
        let volumes = try XCTUnwrap(pod["volumes"] as? [[String: Any]])
        XCTAssertEqual(Set(volumes.compactMap { $0["name"] as? String }), Set(mounts.compactMap { $0["name"] as? String }))
        XCTAssertNotNil(volumes.first?["persistentVolumeClaim"], "shared storage, not a pod's own disk")
        let limits = ((container["resources"] as? [String: Any])?["limits"] as? [String: Any])?["cpu"] as? String
        XCTAssertEqual(limits, env["THREADS"], "threads match the CPUs the pod gets")
    }
}
