import FaceMirrorCore
import Foundation
import XCTest

/// Foundation's file errors in the tool's words: the system's reason, never "Error Domain=…", a
/// temporary file's path or "The operation could not be completed".
final class ErrorTextTests: XCTestCase {
    func testFoundationFileErrorsBecomeTheirReason() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("errortext-\(getpid())")
        try? FileManager.default.removeItem(at: dir)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var texts: [String] = []
        do { try Data("x".utf8).write(to: dir.appendingPathComponent("missing/x.csv")) } catch { texts.append(ErrorText.describe(error)) }
        do { _ = try String(contentsOf: dir, encoding: .utf8) } catch { texts.append(ErrorText.describe(error)) }
        do {
            try FileManager.default.createDirectory(at: dir.appendingPathComponent("d"), withIntermediateDirectories: false)
            try FileManager.default.createDirectory(at: dir.appendingPathComponent("d"), withIntermediateDirectories: false)
        } catch { texts.append(ErrorText.describe(error)) }
        XCTAssertEqual(texts.count, 3)
        XCTAssertEqual(texts[0], "no such file or folder")
        XCTAssertEqual(texts[2], "a file of that name already exists")
        for text in texts {
            XCTAssertFalse(text.contains("Domain") || text.contains("could not be completed") || text.contains(dir.path) || text.contains("UserInfo"), text)
        }
        XCTAssertEqual(ErrorText.describe(CocoaError(.fileWriteVolumeReadOnly)), "read-only file system")
        XCTAssertEqual(ErrorText.describe(CocoaError(.fileWriteNoPermission)), "permission denied")
        XCTAssertEqual(ErrorText.describe(NSError(domain: NSPOSIXErrorDomain, code: Int(ENOSPC))), "no space left on device")
    }
}
