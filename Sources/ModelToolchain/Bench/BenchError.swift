

/// Why a benchmark's own input could not be used, naming the file.
public enum BenchError: Error, CustomStringConvertible, Sendable {
    case unreadableTargets(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadableTargets(let p, let r):
            return "\(p): not a targets file, a JSON list of figure, must, should, stretch (\(r))"
        }
    }
}
