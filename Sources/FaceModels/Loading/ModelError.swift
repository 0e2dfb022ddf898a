import FaceMirrorCore

/// Why a model could not be used, naming the model file (or the model, for a pure spec) and the reason.
public enum ModelError: Error, CustomStringConvertible, Sendable {
    /// The file is not there.
    case notFound(path: String, hint: String)
    /// The file is there but is not a model of the kind asked for.
    case wrongKind(path: String, kind: String, found: String, expected: String)
    /// The file is not usable as a model at all, or a tool cannot do what was asked with it.
    case invalid(path: String, reason: String)
    /// A network gave outputs of another shape than its spec decodes.
    case unexpectedOutput(model: String, got: String, expected: String)
    /// The face box lies outside the frame, so there is nothing to crop.
    case boxOutsideFrame(model: String, box: FaceBox, width: Int, height: Int)

    public var description: String {
        switch self {
        case .notFound(let p, let hint): return "\(p): model file not found (\(hint))"
        case .wrongKind(let p, let kind, let found, let expected): return "\(p): not a \(kind) model: \(found); expected \(expected)"
        case .invalid(let p, let r): return "\(p): \(r)"
        case .unexpectedOutput(let m, let got, let expected): return "\(m): outputs \(got); expected \(expected)"
        case .boxOutsideFrame(let m, let box, let w, let h): return "\(m): the face \(box) lies outside the \(w)x\(h) frame"
        }
    }
}
