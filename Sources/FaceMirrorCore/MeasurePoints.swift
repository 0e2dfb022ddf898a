/// One side's points for the asymmetry measures, named for the patient's side (a frontal, not
/// mirrored video shows the patient's right on the image's left).
public struct MeasurePoints: Sendable, Equatable {
    /// The brow's points (their mean is the brow's centre).
    public let brow: [Int]
    /// The eye's contour (its mean stands for the pupil, which neither layout has a contour for).
    public let eye: [Int]
    /// Upper-lid points and the lower-lid points below each, in the same order.
    public let upperLid: [Int]
    public let lowerLid: [Int]
    /// The eye's inner corner (the intercanthal distance is the scale).
    public let innerCanthus: Int
    /// The nasal ala (the nostril's outer edge).
    public let ala: Int
    /// The mouth corner (oral commissure).
    public let commissure: Int
    /// Outer upper- and lower-lip points beside the lips' midline point.
    public let upperLip: Int
    public let lowerLip: Int

    public init(brow: [Int], eye: [Int], upperLid: [Int], lowerLid: [Int], innerCanthus: Int, ala: Int, commissure: Int,
                upperLip: Int, lowerLip: Int) {
        precondition(upperLid.count == lowerLid.count)
        self.brow = brow
        self.eye = eye
        self.upperLid = upperLid
        self.lowerLid = lowerLid
        self.innerCanthus = innerCanthus
        self.ala = ala
        self.commissure = commissure
        self.upperLip = upperLip
        self.lowerLip = lowerLip
    }
}
