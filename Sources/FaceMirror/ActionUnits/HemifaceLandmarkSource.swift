/// Where each mirrored hemiface's 68 landmarks for OpenFace 2's AUs come from.
public enum HemifaceLandmarkSource: String, Sendable, CaseIterable {
    /// The frame's landmarks, the kept half's reflected onto the other (no model run).
    case reflected
    /// The landmark model fitted again on the mirrored picture, in the mirrored face box.
    case refitted

    public static let defaultChoice = HemifaceLandmarkSource.reflected
}
