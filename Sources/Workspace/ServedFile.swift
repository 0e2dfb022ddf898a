import FaceMirrorCore
import Foundation

/// A file a request names under a served study folder, or nothing: the name is percent-decoded once,
/// must be relative with plain components (no `..`, `.`, empty, NUL) and, links resolved, must still
/// lie inside the folder and be a regular file. Anything else is "not found", never a reason why.
struct ServedFile {
    let path: String
    let size: Int

    init?(encodedName: Substring, in study: StudyShelf.Entry) {
        guard let name = String(encodedName).removingPercentEncoding, let relative = ContainedPath.relative(name) else { return nil }
        guard let real = realpath(study.directory.appendingPathComponent(relative).path, nil) else { return nil }
        let resolved = String(cString: real)
        free(real)
        guard resolved.hasPrefix(study.directory.path + "/") else { return nil }
        var st = stat()
        guard stat(resolved, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { return nil }
        path = resolved
        size = Int(st.st_size)
    }

    /// The Content-Type its extension says.
    var contentType: String {
        switch (path as NSString).pathExtension.lowercased() {
        case "mp4", "m4v": return "video/mp4"
        case "mov": return "video/quicktime"
        case "webm": return "video/webm"
        case "html": return "text/html; charset=utf-8"
        case "csv": return "text/csv; charset=utf-8"
        case "json": return "application/json"
        case "txt": return "text/plain; charset=utf-8"
        case "jpg", "jpeg": return "image/jpeg"
        case "png": return "image/png"
        default: return "application/octet-stream"
        }
    }
}

/// One byte range of a `Range` header (RFC 9110 §14): `bytes=a-b`, `bytes=a-` or `bytes=-n` (the last n).
enum ByteRange: Equatable {
    case satisfiable(ClosedRange<Int>)
    /// Starts at or past the end: 416.
    case unsatisfiable
    /// Not a single byte range facemirror reads: the whole file is sent, as the RFC allows.
    case ignored

    init(header: String, size: Int) {
        let value = header.trimmingCharacters(in: .whitespaces)
        guard value.hasPrefix("bytes="), !value.contains(",") else { self = .ignored; return }
        let spec = value.dropFirst("bytes=".count)
        let parts = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { self = .ignored; return }
        let first = Int(parts[0]), last = Int(parts[1])
        switch (parts[0].isEmpty, parts[1].isEmpty) {
        case (true, false):
            guard let n = last else { self = .ignored; return }
            self = n > 0 && size > 0 ? .satisfiable(max(0, size - n)...(size - 1)) : .unsatisfiable
        case (false, _):
            guard let a = first, a >= 0 else { self = .ignored; return }
            if !parts[1].isEmpty, last == nil || last! < a { self = .ignored; return }
            guard a < size else { self = .unsatisfiable; return }
            self = .satisfiable(a...min(last ?? (size - 1), size - 1))
        default:
            self = .ignored
        }
    }
}
