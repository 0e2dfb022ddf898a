import FaceMirrorCore
import Foundation

/// A CSV file written row by row through a buffer (memory stays flat however long the video).
final class CSVFile {
    let path: String
    private let handle: FileHandle
    private var buffer = ""

    init(path: String, header: [String]) throws {
        self.path = path
        // Created in place, not through FileManager.createFile: on Linux that writes a hidden temporary
        // beside it and renames it, which a run stopped by a signal at that moment would leave behind.
        do {
            try Data().write(to: URL(fileURLWithPath: path))
            handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        } catch {
            throw OutputError.cannotWrite(path: path, reason: "cannot create the file (\(ErrorText.describe(error)))")
        }
        buffer = header.joined(separator: ",") + "\n"
    }

    static func number(_ v: Double, _ digits: Int) -> String {
        v.isFinite ? String(format: "%.\(digits)f", v) : "NaN"
    }

    func write(_ columns: [String]) throws {
        buffer += columns.joined(separator: ",") + "\n"
        if buffer.utf8.count > 1 << 16 { try flush() }
    }

    private func flush() throws {
        try handle.write(contentsOf: Data(buffer.utf8))
        buffer = ""
    }

    func close() throws {
        try flush()
        try handle.synchronize()
        try handle.close()
    }
}
