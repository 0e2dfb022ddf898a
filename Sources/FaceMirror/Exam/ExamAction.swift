/// A movement of the facial exam, by the code the upstream coding tool and analysis use; `??` is a
/// movement found automatically whose pattern fits no code (never written in a person's coding).
public enum ExamAction: String, CaseIterable, Sendable, Codable {
    case rest = "BL"
    case raiseEyebrows = "RE"
    case closeEyesSoftly = "ES"
    case closeEyesTightly = "ET"
    case blink = "BK"
    case frown = "FR"
    case wrinkleNose = "WN"
    case softSmile = "SS"
    case bigSmile = "BS"
    case sayO = "SO"
    case sayE = "SE"
    case puckerLips = "PL"
    case blowCheeks = "BC"
    case lowerTeeth = "LT"
    case unclear = "??"

    /// The movement in words, for reports and messages.
    public var name: String {
        switch self {
        case .rest: return "rest"
        case .raiseEyebrows: return "raise eyebrows"
        case .closeEyesSoftly: return "close eyes softly"
        case .closeEyesTightly: return "close eyes tightly"
        case .blink: return "blink"
        case .frown: return "frown"
        case .wrinkleNose: return "wrinkle nose"
        case .softSmile: return "soft smile"
        case .bigSmile: return "big smile"
        case .sayO: return "say \"O\""
        case .sayE: return "say \"E\""
        case .puckerLips: return "pucker lips"
        case .blowCheeks: return "blow cheeks"
        case .lowerTeeth: return "show lower teeth"
        case .unclear: return "unclear movement"
        }
    }

    /// The codes a person's coding may use (every one but `??`).
    public static let coded: [ExamAction] = allCases.filter { $0 != .unclear }

    /// A code of a person's coding or an upstream CSV (case and spaces aside), or nil.
    public init?(code: String) {
        guard let action = ExamAction(rawValue: code.trimmingCharacters(in: .whitespaces).uppercased()), action != .unclear else { return nil }
        self = action
    }

    /// Every code, for messages ("BL, RE, ES, …").
    public static var codes: String { coded.map(\.rawValue).joined(separator: ", ") }

    /// The zone the movement is asked of, and the landmark measure that shows it with the direction it
    /// moves (+1: the measure grows): the peak is found on it. Nil for rest and `??` (whose zone
    /// comes from its segment).
    public var key: (zone: FaceZone, measure: FacialMeasure, direction: Double)? {
        switch self {
        case .raiseEyebrows: return (.brow, .browHeight, 1)
        case .frown: return (.brow, .browHeight, -1)
        case .closeEyesSoftly, .closeEyesTightly, .blink: return (.eye, .eyeOpening, -1)
        case .wrinkleNose: return (.midface, .alaHeight, 1)
        case .softSmile, .bigSmile: return (.mouth, .commissureHeight, 1)
        case .sayE, .blowCheeks: return (.mouth, .commissureExcursion, 1)
        case .sayO, .puckerLips: return (.mouth, .commissureExcursion, -1)
        case .lowerTeeth: return (.mouth, .lowerLipHeight, -1)
        case .rest, .unclear: return nil
        }
    }

    /// The AUs that show the movement (as the upstream analysis pairs them), for its table.
    public var keyActionUnits: [String] {
        switch self {
        case .raiseEyebrows: return ["AU01", "AU02"]
        case .frown: return ["AU04"]
        case .closeEyesSoftly, .blink: return ["AU45"]
        case .closeEyesTightly: return ["AU45", "AU07"]
        case .wrinkleNose: return ["AU09", "AU10"]
        case .softSmile: return ["AU12"]
        case .bigSmile: return ["AU12", "AU25"]
        case .sayO: return ["AU25", "AU26"]
        case .sayE: return ["AU12", "AU25"]
        case .puckerLips: return ["AU17", "AU23"]
        case .blowCheeks: return ["AU23"]
        case .lowerTeeth: return ["AU15", "AU16", "AU25"]
        case .rest, .unclear: return []
        }
    }

    /// A movement of the eyes, or of the mouth: synkinesis is looked for in the other.
    public var isEyeMovement: Bool { [.closeEyesSoftly, .closeEyesTightly, .blink].contains(self) }
    public var isMouthMovement: Bool { [.softSmile, .bigSmile, .sayO, .sayE, .puckerLips, .blowCheeks, .lowerTeeth].contains(self) }
}
