import Foundation
import TestSupport
import XCTest

/// The package's shape: every module is in Package.swift's layer comment, and inside a module no
/// two folders use each other (directly or round a longer loop).
final class LayoutTests: XCTestCase {
    func testEveryModuleIsInTheLayerComment() throws {
        let manifest = try String(contentsOf: Fixtures.repoRoot.appendingPathComponent("Package.swift"), encoding: .utf8)
        let comment = manifest.split(separator: "\n").filter { $0.hasPrefix("//") }.joined(separator: "\n")
        let names = manifest.matches(of: /\.(?:target|executableTarget|systemLibrary)\(\s*name: "(\w+)"/).map { String($0.output.1) }
        XCTAssertGreaterThanOrEqual(names.count, 10)
        for name in names where name != "TestSupport" {
            XCTAssertTrue(comment.contains(name), "\(name) is not in the layer comment")
        }
    }

    func testNoFolderCyclesInsideAModule() throws {
        let script = Fixtures.repoRoot.appendingPathComponent("scripts/dev/folder_dependencies.py").path
        let r = try Fixtures.run("/usr/bin/python3", [script, Fixtures.repoRoot.appendingPathComponent("Sources").path], allowFailure: true)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("Pipeline -> "), "the FaceMirror module's folders were read: \(r.stdout)")
        // The check itself finds a cycle when there is one.
        let dir = try Fixtures.scratch(self)
        for (folder, text) in [("A", "struct Alpha { let b: Beta }"), ("B", "struct Beta { let a: [Alpha] }")] {
            let d = dir.appendingPathComponent("Mod/\(folder)")
            try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
            try text.write(to: d.appendingPathComponent("\(folder).swift"), atomically: true, encoding: .utf8)
        }
        let cyclic = try Fixtures.run("/usr/bin/python3", [script, dir.path], allowFailure: true)
        XCTAssertEqual(cyclic.status, 1, cyclic.stdout)
        XCTAssertTrue(cyclic.stdout.contains("CYCLE: A -> B -> A"), cyclic.stdout)
    }
}
