import OrtBinding

/// Which 98-point landmark network a model is.
public enum LandmarkModelKind: String, Sendable, CaseIterable {
    case star, pfld

    /// What the model's inputs and outputs look like, for messages.
    public var signature: String {
        switch self {
        case .star: return "STAR (input float32[1,3,256,256], last output 98×2)"
        case .pfld: return "PFLD (input float32[1,3,112,112], output 196 values)"
        }
    }

    /// Read from the model's signature: STAR takes 256×256 and gives 98×2; PFLD takes 112×112 and gives 196.
    public static func detect(_ session: InferenceSession) -> LandmarkModelKind? {
        guard session.inputs.count == 1, let out = session.outputs.last else { return nil }
        let count = out.shape.reduce(Int64(1)) { $0 * max($1, 1) }
        if fits(session.inputs.first, [1, 3, 256, 256]) && count == 196 { return .star }
        if fits(session.inputs.first, [1, 3, 112, 112]) && count == 196 { return .pfld }
        return nil
    }
}
