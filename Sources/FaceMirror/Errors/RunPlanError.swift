/// Why a request cannot become a run.
public enum RunPlanError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Options that do not go together, or a value out of range.
    case invalidOptions(String)
    /// Something the request needs is not installed.
    case notInstalled(String)

    public var description: String {
        switch self {
        case .invalidOptions(let m), .notInstalled(let m): return m
        }
    }
}
