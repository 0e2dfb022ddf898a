import Foundation
import Study
import TestSupport
import XCTest

/// Finding a study's videos in folders, and where their outputs go.
final class StudyInputsTests: XCTestCase {
    private func tree(_ files: [String]) throws -> URL {
        let root = try Fixtures.scratch(self)
        for f in files {
            let url = root.appendingPathComponent(f)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("x".utf8).write(to: url)
        }
        return root
    }

    func testFoldersAreSearchedForVideosAndOutputsMirrorTheirPlace() throws {
        let root = try tree(["study/p2/visit.mp4", "study/p1/visit.MOV", "study/p1/notes.txt", "study/.cache/x.mp4",
                             "study/p1/deep/er/clip.mkv", "single.avi"])
        let (inputs, problems, _) = StudyInputs.discover([root.appendingPathComponent("study").path, root.appendingPathComponent("single.avi").path])
        XCTAssertEqual(problems.count, 0)
        XCTAssertEqual(inputs.map(\.relativeDirectory), ["p1/deep/er", "p1", "p2", ""], "sorted by path, hidden and non-videos skipped")
        XCTAssertEqual(inputs.map { URL(fileURLWithPath: $0.path).lastPathComponent }, ["clip.mkv", "visit.MOV", "visit.mp4", "single.avi"])
        let out = URL(fileURLWithPath: "/data/out")
        XCTAssertEqual(inputs[0].outputDirectory(under: out).path, "/data/out/p1/deep/er")
        XCTAssertEqual(inputs[1].outputDirectory(under: out).path, "/data/out/p1")
        XCTAssertEqual(inputs[3].outputDirectory(under: out).path, "/data/out")
    }

    /// A dataset made of symbolic links (DataLad, git-annex): a linked study folder, linked videos and
    /// linked folders inside it are followed; a link loop is searched once; a file reached twice is taken once.
    func testSymbolicLinksAreFollowedOnceEach() throws {
        let root = try tree(["store/aa.bin", "store/bb.bin", "elsewhere/p3/visit.mp4"])
        let study = root.appendingPathComponent("study")
        try FileManager.default.createDirectory(at: study.appendingPathComponent("p1"), withIntermediateDirectories: true)
        let fm = FileManager.default
        try fm.createSymbolicLink(atPath: study.appendingPathComponent("p1/visit.mp4").path, withDestinationPath: root.appendingPathComponent("store/aa.bin").path)
        try fm.createSymbolicLink(atPath: study.appendingPathComponent("p1/again.mp4").path, withDestinationPath: "visit.mp4")
        try fm.createSymbolicLink(atPath: study.appendingPathComponent("p2.mp4").path, withDestinationPath: root.appendingPathComponent("store/bb.bin").path)
        try fm.createSymbolicLink(atPath: study.appendingPathComponent("p3").path, withDestinationPath: root.appendingPathComponent("elsewhere/p3").path)
        try fm.createSymbolicLink(atPath: study.appendingPathComponent("p1/loop").path, withDestinationPath: study.path)
        try fm.createSymbolicLink(atPath: study.appendingPathComponent("gone.mp4").path, withDestinationPath: root.appendingPathComponent("nothing").path)
        let linked = root.appendingPathComponent("linked-study")
        try fm.createSymbolicLink(atPath: linked.path, withDestinationPath: study.path)
        let (inputs, problems, _) = StudyInputs.discover([linked.path])
        XCTAssertEqual(problems.map(\.description), [])
        XCTAssertEqual(inputs.map { "\($0.relativeDirectory)|\(URL(fileURLWithPath: $0.path).lastPathComponent)" },
                       ["p1|again.mp4", "|p2.mp4", "p3|visit.mp4"],
                       "again.mp4 and visit.mp4 are one file (taken once, by the first name in order); the loop adds nothing")
    }

    func testAGlobPicksFilesByNameOrByPath() throws {
        let root = try tree(["s/a/one.MTS", "s/a/two.mp4", "s/b/three.MTS"]).appendingPathComponent("s").path
        XCTAssertEqual(StudyInputs.discover([root], glob: "*.MTS").inputs.map(\.relativeDirectory), ["a", "b"])
        XCTAssertEqual(StudyInputs.discover([root], glob: "a/*").inputs.count, 2)
        XCTAssertEqual(StudyInputs.discover([root]).inputs.count, 3, "by extension: .MTS and .mp4 are both video files")
    }

    func testArgumentsThatGiveNoVideosAreProblems() throws {
        let root = try tree(["empty/readme.txt"])
        let (inputs, problems, _) = StudyInputs.discover([root.appendingPathComponent("empty").path, root.appendingPathComponent("gone").path])
        XCTAssertEqual(inputs, [])
        XCTAssertEqual(problems.map(\.description), [
            "no videos found in \(root.appendingPathComponent("empty").path) (taken by extension; --glob PATTERN picks others)",
            "\(root.appendingPathComponent("gone").path): no such file or folder",
        ])
    }
}

/// `--shard K/N`: disjoint slices that together are the whole study, balanced by size.
final class ShardTests: XCTestCase {
    func testShardsAreDisjointCompleteAndBalanced() throws {
        let dir = try Fixtures.scratch(self)
        let sizes = [500, 100, 300, 400, 100, 200]
        let inputs = try sizes.enumerated().map { i, size -> StudyInput in
            let path = dir.appendingPathComponent("v\(i).mp4").path
            try Data(count: size).write(to: URL(fileURLWithPath: path))
            return StudyInput(path: path, relativeDirectory: "")
        }
        let shards = [try XCTUnwrap(Shard("0/2")), try XCTUnwrap(Shard("1/2"))].map { $0.select(inputs) }
        XCTAssertEqual(Set(shards[0].map(\.path)).intersection(shards[1].map(\.path)), [])
        XCTAssertEqual(Set(shards.flatMap { $0.map(\.path) }), Set(inputs.map(\.path)))
        let bytes = shards.map { $0.map { sizes[inputs.firstIndex(of: $0)!] }.reduce(0, +) }
        XCTAssertEqual(bytes, [800, 800], "largest first, each to the lighter slice")
        XCTAssertEqual(shards[0].map(\.path), shards[0].map(\.path).sorted { a, b in inputs.firstIndex { $0.path == a }! < inputs.firstIndex { $0.path == b }! },
                       "in the study's order")
        // The same split however the videos are listed.
        XCTAssertEqual(Set(Shard("0/2")!.select(inputs.reversed()).map(\.path)), Set(shards[0].map(\.path)))
        XCTAssertEqual(Shard("0/1")?.select(inputs), inputs)
        for bad in ["2/2", "0/0", "-1/3", "1", "a/b"] { XCTAssertNil(Shard(bad), bad) }
    }
}
