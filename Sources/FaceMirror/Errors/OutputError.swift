import FaceMirrorCore

/// Why the outputs of a video could not be written, naming the file.
public enum OutputError: Error, CustomStringConvertible, Sendable {
    case exist(paths: [String])
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .exist(let paths): return "outputs already exist (use --overwrite to replace them): " + paths.joined(separator: ", ")
        case .cannotWrite(let p, let r): return "\(p): cannot write (\(r))"
        }
    }
}
