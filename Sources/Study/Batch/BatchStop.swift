import Foundation

/// A request to stop a running batch, from another thread (the workspace's Stop, its server shutting
/// down). Videos not yet started are not started; a running one ends after its current frame, its
/// unfinished outputs removed and its claim given back, so that the next run does it whole.
public final class BatchStop: @unchecked Sendable {
    private let lock = NSLock()
    private var requested = false

    public init() {}

    public func request() {
        lock.lock(); requested = true; lock.unlock()
    }

    public var isRequested: Bool {
        lock.lock(); defer { lock.unlock() }
        return requested
    }

    /// Throws `BatchStopped` once a stop is requested: called between frames.
    func check() throws {
        if isRequested { throw BatchStopped() }
    }
}

/// What ends a video when its batch is stopped.
public struct BatchStopped: Error, CustomStringConvertible {
    public var description: String { "stopped before it was finished" }
}
