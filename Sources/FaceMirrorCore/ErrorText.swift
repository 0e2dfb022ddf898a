import Foundation

/// Readable text for errors from libraries, for messages: a `DecodingError` says where in the JSON
/// and what was wrong (its own description is a Swift struct dump); Foundation's file errors give
/// their localised sentence; the project's own errors already describe themselves.
public enum ErrorText {
    public static func describe(_ error: Error) -> String {
        if let e = error as? DecodingError { return describe(e) }
        let ns = error as NSError
        if ns.domain == NSCocoaErrorDomain || ns.domain == NSPOSIXErrorDomain { return ns.localizedDescription }
        return "\(error)"
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
