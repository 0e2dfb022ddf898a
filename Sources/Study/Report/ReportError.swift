import Foundation

/// A report cannot be made from a video's outputs.
public enum ReportError: Error, CustomStringConvertible, Sendable {
    case missing(file: String)
    case unreadable(file: String, reason: String)

    public var description: String {
        switch self {
        case .missing(let f):
            return "\(f) is missing, and the report is made from it (outputs of an older facemirror? `process --redo all` writes them again)"
        case .unreadable(let f, let reason): return "\(f): cannot be read for the report: \(reason)"
        }
    }
}
