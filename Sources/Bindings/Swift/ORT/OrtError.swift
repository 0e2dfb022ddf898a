import COnnxRuntime

/// A failure reported by ONNX Runtime (with ORT's own message) or met while using it.
public struct OrtError: Error, CustomStringConvertible, Sendable {
    public let context: String
    public let message: String
    public var description: String { "\(context): \(message)" }

    public init(_ context: String, _ message: String) {
        self.context = context
        self.message = message
    }
}

/// Turns an OrtStatus into a Swift error (and releases it).
@inline(__always)
func check(_ api: UnsafePointer<OrtApi>, _ status: OpaquePointer?, _ context: @autoclosure () -> String) throws {
    guard let status else { return }
    let message = api.pointee.GetErrorMessage(status).map { String(cString: $0) } ?? "unknown error"
    api.pointee.ReleaseStatus(status)
    throw OrtError(context(), message)
}
