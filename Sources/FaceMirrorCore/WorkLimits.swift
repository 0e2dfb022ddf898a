import Foundation

/// How much parallel work a run may ask for on this machine: more threads or jobs than this only cost
/// memory (a thread's stack and buffers, a job's frames and models) and never speed, and a typo such as
/// `--threads 100000` would otherwise take the machine down.
public enum WorkLimits {
    /// The processors this process may use.
    public static var cores: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }
    /// Threads for decoding and encoding, or for ONNX Runtime per model: at most 4 per core.
    public static var maxThreads: Int { 4 * cores }
    /// Videos processed at once: at most one per core (each job already keeps a core busy).
    public static var maxJobs: Int { cores }

    /// Nil when `value` is within `range`, else the message for the option: "at least 1" for a value under
    /// 1, the range and its reason above it.
    public static func check(_ option: String, _ value: Int, in range: ClosedRange<Int>, why: String) -> String? {
        if value < range.lowerBound {
            return range.lowerBound == 0 ? "\(option) must be 0 or more" : "\(option) must be at least \(range.lowerBound)"
        }
        if value > range.upperBound { return "\(option) must be at most \(range.upperBound) (\(why)), not \(value)" }
        return nil
    }

    /// The reason given for `maxThreads`.
    public static var threadsReason: String { "4 × the \(cores) core\(cores == 1 ? "" : "s") of this machine" }
    public static var jobsReason: String { "one per core; this machine has \(cores)" }
}
