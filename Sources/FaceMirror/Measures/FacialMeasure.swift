import Foundation

/// The landmark measures of facial asymmetry, each taken on both sides of the face relative to its
/// own midline (glabella → chin), so that a tilted head is not asymmetry. Modelled on the measures of
/// Emotrics (Guarin et al. 2018), SMILE (Bray et al. 2010) and Auto-eFACE (Miller et al. 2021); the
/// exact definitions are ours, written out in docs/method.md with their landmark indices.
public enum FacialMeasure: String, CaseIterable, Sendable, Codable {
    /// Brow centre above the eye's centre.
    case browHeight = "brow_height"
    /// Palpebral fissure height: mean gap between the upper lid and the lower lid below it.
    case eyeOpening = "eye_opening"
    /// Nasal ala above the chin.
    case alaHeight = "ala_height"
    /// Mouth corner above the chin.
    case commissureHeight = "commissure_height"
    /// Mouth corner's distance from the midline.
    case commissureExcursion = "commissure_excursion"
    /// Angle of the line from the lips' centre to the mouth corner above the perpendicular to the midline.
    case smileAngle = "smile_angle"
    /// Outer upper-lip point beside the midline, above the chin.
    case upperLipHeight = "upper_lip_height"
    /// Outer lower-lip point beside the midline, above the chin.
    case lowerLipHeight = "lower_lip_height"

    public var zone: FaceZone {
        switch self {
        case .browHeight: return .brow
        case .eyeOpening: return .eye
        case .alaHeight: return .midface
        case .commissureHeight, .commissureExcursion, .smileAngle, .upperLipHeight, .lowerLipHeight: return .mouth
        }
    }

    /// An angle in degrees; the others are lengths in pixels.
    public var isAngle: Bool { self == .smileAngle }
}

/// The regions the measures are grouped in.
public enum FaceZone: String, CaseIterable, Sendable, Codable {
    case brow, eye, midface, mouth
}
