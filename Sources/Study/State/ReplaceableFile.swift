import FaceMirror
import FaceMirrorCore
import Foundation

/// Whether a file the tool writes whole (study_summary.csv, a study's index.html) may be replaced: only
/// a regular file (never a link, a device or a folder, whatever the options), and only one facemirror
/// wrote (recognised by how it starts) unless `overwrite` is given. The rule `process` follows for its
/// outputs, for the files made from them.
enum ReplaceableFile {
    static func check(_ url: URL, overwrite: Bool, ours: (Data) -> Bool) throws {
        switch PathEntry.at(url.path) {
        case .nothing: return
        case .regularFile: break
        case .other(let kind):
            throw OutputError.cannotWrite(path: url.path, reason: "it is \(kind), not a regular file; left alone")
        }
        if overwrite { return }
        let head = (try? FileHandle(forReadingFrom: url).read(upToCount: 4096)) ?? nil
        guard ours(head ?? Data()) else {
            throw OutputError.cannotWrite(path: url.path, reason: "it exists and was not written by facemirror; --overwrite replaces it")
        }
    }
}
