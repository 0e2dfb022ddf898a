import FaceMirrorCore

/// A model file to load, with the earlier file of the same model that `model install` kept, to load
/// instead when this one does not.
public struct ModelFile: Sendable, Equatable {
    public var path: String
    public var fallback: String?

    public init(path: String, fallback: String? = nil) {
        self.path = path
        self.fallback = fallback
    }
}
