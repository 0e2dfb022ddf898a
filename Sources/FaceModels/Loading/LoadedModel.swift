import FaceMirrorCore
import OrtBinding

/// A model loaded once into ONNX Runtime and checked against what its spec needs.
public struct LoadedModel {
    public let session: InferenceSession
    /// Set when the model's own file did not load and its fallback was used: why, for the user.
    public let fallbackNote: String?

    /// Loads `file` (or, when it does not load, its fallback) and checks its signature with `accept`.
    /// A provider missing from the ORT build is reported as it is: no other file would help.
    public init(_ file: ModelFile, options: SessionOptions, kind: String, expected: String,
         accept: (InferenceSession) -> Bool) throws {
        do {
            session = try LoadedModel.load(file.path, options: options, kind: kind, expected: expected, accept: accept)
            fallbackNote = nil
        } catch let error as ModelError {
            guard let fallback = file.fallback else { throw error }
            session = try LoadedModel.load(fallback, options: options, kind: kind, expected: expected, accept: accept)
            fallbackNote = "\(error); using the previous file \(fallback)"
        }
    }

    private static func load(_ path: String, options: SessionOptions, kind: String, expected: String,
                             accept: (InferenceSession) -> Bool) throws -> InferenceSession {
        // ONNX Runtime would wait forever on a named pipe and read /dev/zero until memory runs out.
        do {
            try RegularFile.check(path, limit: RegularFile.modelByteLimit)
        } catch let error as RegularFileError {
            if error.isMissing { throw ModelError.notFound(path: path, hint: "expected the \(kind) model") }
            throw ModelError.invalid(path: path, reason: error.reason)
        }
        let session: InferenceSession
        do {
            session = try InferenceSession(modelPath: path, options: options)
        } catch let error as OrtError {
            switch error {
            case .providerUnavailable, .libraryNotFound: throw error  // no other file would load either
            case .modelNotFound: throw ModelError.notFound(path: path, hint: "expected the \(kind) model")
            default: throw ModelError.invalid(path: path, reason: "cannot be loaded as the \(kind) model (\(error)); expected \(expected)")
            }
        }
        guard accept(session) else {
            let found = "it has inputs " + session.inputs.map(\.description).joined(separator: ", ")
                + "; outputs " + session.outputs.map(\.description).joined(separator: ", ")
            throw ModelError.wrongKind(path: path, kind: kind, found: found, expected: expected)
        }
        return session
    }
}

/// True when a tensor is float32 of `shape`'s rank and size, −1 matching any size on either side.
public func fits(_ info: TensorInfo?, _ shape: [Int64]) -> Bool {
    guard let info, info.elementType == .float32, info.shape.count == shape.count else { return false }
    return zip(info.shape, shape).allSatisfy { $0 < 0 || $1 < 0 || $0 == $1 }
}
