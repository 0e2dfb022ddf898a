/// A model a processor runs, for the provenance record.
public struct ModelUse: Sendable, Equatable {
    public let role: String
    public let name: String
    /// The file it was loaded from; nil for a model built into a library.
    public let path: String?

    public init(role: String, name: String, path: String?) {
        self.role = role
        self.name = name
        self.path = path
    }

    /// dlib's HOG detector: its weights are compiled into dlib.
    public static let dlibDetector = ModelUse(role: "detector", name: "dlib HOG (built into dlib)", path: nil)
    public static func dlibLandmarks(_ path: String) -> ModelUse { ModelUse(role: "landmarks", name: "dlib 68-point", path: path) }
}
