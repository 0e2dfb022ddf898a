import Foundation

/// Readable text for errors from libraries, for messages: a `DecodingError` says where in the JSON
/// and what was wrong (its own description is a Swift struct dump); Foundation's file errors give
/// their localised sentence; the project's own errors already describe themselves.
public enum ErrorText {
    public static func describe(_ error: Error) -> String {
        if let e = error as? DecodingError { return describe(e) }
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain { return posix(Int32(ns.code)) }
        if ns.domain == NSCocoaErrorDomain { return cocoa(ns) }
        return "\(error)"
    }

    /// The system's words for an errno ("No such file or directory" → "no such file or directory").
    static func posix(_ code: Int32) -> String {
        let text = String(cString: strerror(code))
        return text.prefix(1).lowercased() + text.dropFirst()
    }

    /// A Foundation file error as what went wrong, without its temporary paths or dictionaries: the
    /// system's reason where one is underneath ("permission denied", "read-only file system"), else the
    /// kind of failure in words. The caller's message names the file.
    private static func cocoa(_ ns: NSError) -> String {
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return posix(Int32(underlying.code))
        }
        switch CocoaError.Code(rawValue: ns.code) {
        case .fileNoSuchFile, .fileReadNoSuchFile: return "no such file or folder"
        case .fileReadNoPermission, .fileWriteNoPermission: return "permission denied"
        case .fileWriteOutOfSpace: return "the disk is full"
        case .fileWriteVolumeReadOnly: return "read-only file system"
        case .fileWriteFileExists: return "a file of that name already exists"
        case .fileReadTooLarge: return "too large to read"
        case .fileReadCorruptFile: return "not in the expected format"
        case .fileReadInapplicableStringEncoding: return "not text in the expected encoding"
        case .fileReadUnknown: return "cannot be read (is it a folder?)"
        case .fileWriteUnknown: return "cannot be written"
        default: return ns.localizedDescription
        }
    }

    private static func describe(_ e: DecodingError) -> String {
        func at(_ context: DecodingError.Context) -> String {
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return path.isEmpty ? "" : " at \(path.hasPrefix(".") ? String(path.dropFirst()) : path)"
        }
        switch e {
        case .keyNotFound(let key, let context): return "missing \"\(key.stringValue)\"\(at(context))"
        case .typeMismatch(let type, let context): return "expected \(type)\(at(context))"
        case .valueNotFound(let type, let context): return "no \(type) value\(at(context))"
        case .dataCorrupted(let context):
            let why = (context.underlyingError as NSError?)?.localizedDescription ?? context.debugDescription
            return "not valid JSON\(at(context)): \(why)"
        @unknown default: return e.localizedDescription
        }
    }
}
