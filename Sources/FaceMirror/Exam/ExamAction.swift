/// A movement of the facial exam, by the code the upstream coding tool and analysis use.
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
        }
    }

    /// Every code, for messages ("BL, RE, ES, …").
    public static var codes: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
