import FaceMirrorCore

/// Why the outputs of a video could not be written, naming the file.
public enum OutputError: Error, CustomStringConvertible, Sendable {
    case exist(paths: [String])
    case cannotWrite(path: String, reason: String)
    /// An output's file name is longer than the file system takes (in bytes of UTF-8).
    case nameTooLong(input: String, name: String, bytes: Int, limit: Int)
    /// Something other than a file (a folder, a link, a device) sits where an output goes.
    case notAFile(path: String, kind: String)

    public var description: String {
        switch self {
        case .exist(let paths): return "outputs already exist (use --overwrite to replace them): " + paths.joined(separator: ", ")
        case .cannotWrite(let p, let r): return "\(p): cannot write (\(r))"
        case .nameTooLong(let input, let name, let bytes, let limit):
            return "\(input): its output \(name) would have a \(bytes)-byte name, more than the \(limit) the output folder's file system takes; rename the video to a shorter name"
        case .notAFile(let p, let kind):
            return "\(p): \(kind) is where this output goes; facemirror replaces only files, even with --overwrite (move it away)"
        }
    }
}
