/// The action-unit methods a run can measure on both mirrored hemifaces. Adding one is this case and
/// a type conforming to `HemifaceAUMethod` (which `ModelStack` loads for it).
public enum AUMethod: String, CaseIterable, Sendable, Codable {
    /// OpenFace 2.2's FHOG + linear SVR models: 17 AU intensities, on the 68 points of any stack.
    case openface2
    /// OpenFace 3.0's MTL network (ONNX): 8 AUs, with emotion and gaze; AU45 from the eye's opening.
    case mtl

    /// What it is, for messages and help.
    public var summary: String {
        switch self {
        case .openface2: return "OpenFace 2.2's 17 AU intensities (FHOG + linear SVR, OpenFace's offline post-processing)"
        case .mtl: return "OpenFace 3.0's MTL network: 8 AUs, emotion and gaze"
        }
    }

    /// The methods of a run in the order they are listed here: the first one's AUs take
    /// `<stem>_{right,left}_mirrored.csv` and the asymmetry columns, each other's its own tagged files.
    public static func ordered(_ methods: some Sequence<AUMethod>) -> [AUMethod] {
        let chosen = Set(methods)
        return allCases.filter(chosen.contains)
    }
}
