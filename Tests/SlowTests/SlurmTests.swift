import Foundation
import Study
import TestSupport
import XCTest

/// deploy/slurm/facemirror-array.sbatch on a real single-node Slurm cluster that the test starts and
/// stops itself (scripts/env/slurm_local.sh): an array of 3 splits a study with no coordinator, and the
/// union of its outputs is what one local run writes, every video processed exactly once.
final class SlurmTests: XCTestCase {
    func testAJobArrayProcessesAStudyAsOneLocalRunDoes() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/slurmctld"),
              FileManager.default.isExecutableFile(atPath: "/usr/sbin/munged") else {
            throw XCTSkip("Slurm is not installed (apt-get install slurmctld slurmd slurm-client munge; .ci/run does)")
        }
        guard getuid() == 0 else { throw XCTSkip("a local Slurm cluster needs root (slurmd runs jobs as their user)") }
        let dir = try Fixtures.scratch(self)
        let study = dir.appendingPathComponent("study")
        for (n, name) in ["p1/a.mp4", "p1/b.mp4", "p2/a.mp4", "p3/c.mp4"].enumerated() {
            let url = study.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            _ = try Fixtures.sampleClip(frames: 6 + 3 * n, in: url.deletingLastPathComponent(), name: url.lastPathComponent, fast: true)
        }
        let local = dir.appendingPathComponent("local")
        try Fixtures.run(Fixtures.cli(), ["process", study.path, "-o", local.path, "--no-debug-video", "-q"])

        let cluster = dir.appendingPathComponent("cluster")
        let script = Fixtures.repoRoot.appendingPathComponent("scripts/env/slurm_local.sh").path
        try Fixtures.run("/bin/bash", [script, "start", cluster.path])
        defer { _ = try? Fixtures.run("/bin/bash", [script, "stop", cluster.path], allowFailure: true) }
        setenv("SLURM_CONF", cluster.appendingPathComponent("slurm.conf").path, 1)
        defer { unsetenv("SLURM_CONF") }

        let out = dir.appendingPathComponent("out")
        let sbatch = Fixtures.repoRoot.appendingPathComponent("deploy/slurm/facemirror-array.sbatch").path
        let submitted = try Fixtures.run("/usr/bin/timeout", [
            "300", "sbatch", "--wait", "--array=0-2", "--cpus-per-task=1", "--mem-per-cpu=100M",
            "--output=\(dir.path)/task-%a.log", "--chdir=\(dir.path)",
            "--export=ALL,STUDY_DIR=\(study.path),OUTPUT_DIR=\(out.path),FACEMIRROR=\(Fixtures.cli()),FACEMIRROR_ARGS=--no-debug-video",
            sbatch,
        ], allowFailure: true)
        let logs = (0..<3).map { (try? String(contentsOfFile: "\(dir.path)/task-\($0).log", encoding: .utf8)) ?? "(no log)" }
        XCTAssertEqual(submitted.status, 0, "sbatch: \(submitted.stderr)\n" + logs.joined(separator: "\n"))
        for k in 0..<3 { XCTAssertTrue(logs[k].contains("shard \(k)/3"), logs[k]) }

        // One state file per task; each video in exactly one, done at the first attempt.
        let files = StudyState.files(in: out).map(\.lastPathComponent)
        XCTAssertEqual(files, (0..<3).map { "facemirror-study-shard-\($0)-of-3.sqlite" })
        var seen: [String: Int] = [:]
        for file in StudyState.files(in: out) {
            for row in try StudyState(file: file, readOnly: true).records() {
                XCTAssertEqual(row.status, .done, row.path)
                XCTAssertEqual(row.attempts, 1, row.path)
                seen[row.path, default: 0] += 1
            }
        }
        XCTAssertEqual(seen, ["p1/a.mp4": 1, "p1/b.mp4": 1, "p2/a.mp4": 1, "p3/c.mp4": 1])

        // The union of the tasks' outputs is the local run's: the same files, byte-identical CSVs.
        let got = try outputs(out), want = try outputs(local)
        XCTAssertEqual(got.keys.sorted(), want.keys.sorted())
        for (name, data) in want where name.hasSuffix(".csv") { XCTAssertEqual(got[name], data, name) }
        let status = try Fixtures.run(Fixtures.cli(), ["study", "status", out.path])
        XCTAssertTrue(status.stdout.contains("queued 0, running 0, done 4, failed 0"), status.stdout)
    }

    /// Every output below `out` but the state files, relative path → bytes.
    private func outputs(_ out: URL) throws -> [String: Data] {
        var all: [String: Data] = [:]
        let base = out.standardizedFileURL.path
        for case let url as URL in FileManager.default.enumerator(at: out, includingPropertiesForKeys: nil)! {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), !isDir.boolValue,
                  !url.lastPathComponent.hasPrefix(StudyState.filePrefix) else { continue }
            all[String(url.standardizedFileURL.path.dropFirst(base.count + 1))] = try Data(contentsOf: url)
        }
        return all
    }
}
