import Foundation
import TestSupport
import XCTest

/// The package's shape: Package.swift's layer comment says, for every module, which modules it imports,
/// and the targets below it declare exactly those; inside a module no two folders use each other
/// (directly or round a longer loop).
final class LayoutTests: XCTestCase {
    private func manifest() throws -> String {
        try String(contentsOf: Fixtures.repoRoot.appendingPathComponent("Package.swift"), encoding: .utf8)
    }

    /// `module → dependencies` from the comment's arrow lines.
    static func arrows(_ manifest: String) -> [String: Set<String>] {
        var out: [String: Set<String>] = [:]
        for line in manifest.split(separator: "\n") {
            guard let m = line.wholeMatch(of: /\/\/\s+(\w+)\s+→\s+(.+)/) else { continue }
            let deps = m.output.2.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            out[String(m.output.1)] = Set(deps.filter { $0 != "nothing" })
        }
        return out
    }

    /// `target → dependencies` (target and product names) of the non-test targets.
    static func targets(_ manifest: String) -> [String: Set<String>] {
        var out: [String: Set<String>] = [:]
        for m in manifest.matches(of: /\.(target|executableTarget|systemLibrary)\(\s*name: "(\w+)"/) {
            let name = String(m.output.2)
            let rest = manifest[m.range.upperBound...]
            // This target's own text: up to the next target.
            let end = rest.firstMatch(of: /\.(?:target|executableTarget|systemLibrary|testTarget|plugin)\(/)?.range.lowerBound ?? rest.endIndex
            let body = rest[..<end]
            var deps: Set<String> = []
            if let list = body.firstMatch(of: /dependencies: \[([^\]]*)\]/) {
                // Target names and product names; the packages products come from are not modules.
                let names = String(list.output.1).replacing(/package: "[^"]*"/, with: "")
                for d in names.matches(of: /"([\w.]+)"/) { deps.insert(String(d.output.1)) }
            }
            out[name] = deps
        }
        return out
    }

    func testTheLayerCommentsArrowsAreTheTargetsDependencies() throws {
        let text = try manifest()
        let arrows = Self.arrows(text), targets = Self.targets(text)
        XCTAssertGreaterThanOrEqual(arrows.count, 12)
        for (name, deps) in targets where name != "TestSupport" {
            // A C system library with no dependencies needs no line.
            guard let said = arrows[name] else {
                XCTAssertTrue(deps.isEmpty, "\(name) imports \(deps.sorted()) but has no line in the layer comment")
                continue
            }
            XCTAssertEqual(said, deps, "\(name): the comment says \(said.sorted()), the target has \(deps.sorted())")
        }
        for name in arrows.keys { XCTAssertNotNil(targets[name], "the layer comment names \(name), which is no target") }
        // The check itself: a dependency added to a target but not to the comment is caught.
        let drifted = text.replacingOccurrences(of: "dependencies: [\"FaceMirrorCore\", \"FileDigest\"]",
                                                with: "dependencies: [\"FaceMirrorCore\", \"FileDigest\", \"OrtBinding\"]")
        XCTAssertNotEqual(drifted, text, "ModelStore's dependency list was found")
        XCTAssertNotEqual(Self.targets(drifted)["ModelStore"], Self.arrows(drifted)["ModelStore"])
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
