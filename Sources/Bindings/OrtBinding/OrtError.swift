import COnnxRuntime

/// A failure reported by ONNX Runtime (with ORT's own message) or met while using it. Callers that
/// must react to one kind of failure switch on the case, never on the message text.
public enum OrtError: Error, CustomStringConvertible, Sendable {
    /// No loadable ONNX Runtime library: each place tried, with why it did not load.
    case libraryNotFound(tried: [String])
    /// The execution provider is not compiled into the loaded ORT build.
    case providerUnavailable(provider: String, library: String, available: [String])
    /// A provider option this binding cannot pass to that provider.
    case badProviderOption(provider: String, reason: String)
    case modelNotFound(path: String)
    /// The caller's inputs do not fit the model.
    case badInput(model: String, reason: String)
    /// A tensor type the binding does not read or write.
    case unsupportedType(model: String, reason: String)
    /// An ORT call failed: what was being done, and ORT's message.
    case runtime(context: String, message: String)

    public var description: String {
        switch self {
        case .libraryNotFound(let tried):
            return "ONNX Runtime: library not found; run scripts/env/setup.sh or set FACEMIRROR_ORT_LIB. Tried: " + tried.joined(separator: "; ")
        case .providerUnavailable(let p, let lib, let available):
            return "execution provider \(p): not in this ONNX Runtime build (\(lib)); it has: \(available.joined(separator: ", "))"
        case .badProviderOption(let p, let r): return "execution provider \(p): \(r)"
        case .modelNotFound(let p): return "\(p): model file not found"
        case .badInput(let m, let r): return "\(m): \(r)"
        case .unsupportedType(let m, let r): return "\(m): \(r)"
        case .runtime(let c, let m): return "\(c): \(m)"
        }
    }
}

/// Turns an OrtStatus into a Swift error (and releases it).
@inline(__always)
func check(_ api: UnsafePointer<OrtApi>, _ status: OpaquePointer?, _ context: @autoclosure () -> String) throws {
    guard let status else { return }
    let message = api.pointee.GetErrorMessage(status).map { String(cString: $0) } ?? "unknown error"
    api.pointee.ReleaseStatus(status)
    throw OrtError.runtime(context: context(), message: message)
}
