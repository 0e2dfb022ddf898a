import CVisionShim
import FaceMirrorCore

/// A failure inside OpenCV or dlib, with the library's own message.
public struct VisionError: Error, CustomStringConvertible, Sendable {
    public let operation: String
    public let message: String
    public var description: String { "\(operation): \(message)" }
}

/// Calls a shim function that reports errors through a message buffer.
func shimCall(_ operation: String, _ body: (UnsafeMutablePointer<CChar>, Int) -> Int32) throws {
    var buffer = [CChar](repeating: 0, count: 512)
    let rc = buffer.withUnsafeMutableBufferPointer { body($0.baseAddress!, $0.count) }
    if rc != 0 {
        throw VisionError(operation: operation, message: String(nulTerminated: buffer))
    }
}
