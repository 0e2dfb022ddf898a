/// Errors of the pipeline that are not the media or vision libraries' own.
public enum FaceMirrorError: Error, CustomStringConvertible, Sendable {
    case missingModel(path: String, hint: String)
    case badModel(path: String, reason: String)
    case outputsExist(paths: [String])
    case cannotWrite(path: String, reason: String)
    case cancelled

    public var description: String {
        switch self {
        case .missingModel(let p, let hint): return "\(p): model file not found (\(hint))"
        case .badModel(let p, let r): return "\(p): \(r)"
        case .outputsExist(let paths):
            return "outputs already exist (use --overwrite to replace them): " + paths.joined(separator: ", ")
        case .cannotWrite(let p, let r): return "\(p): cannot write (\(r))"
        case .cancelled: return "cancelled"
        }
    }
}
