/// A landmark scheme (which index is which facial point), kept as data in one place.
public struct LandmarkLayout: Sendable, Equatable {
    /// Two points symmetric about the midline, with the generic face geometry used to turn their
    /// asymmetry into a yaw angle: half-distance between them and their depth behind the nose tip (mm).
    public struct YawPair: Sendable, Equatable {
        public let imageLeft: Int
        public let imageRight: Int
        public let halfWidth: Double
        public let depthBehindNoseTip: Double
    }

    public let name: String
    public let count: Int
    /// Glabella = mean of these points.
    public let glabella: [Int]
    /// Chin (menton) point.
    public let chin: Int
    public let noseTip: Int
    /// Eye contours, image-left and image-right eye (patient's right and left on a frontal face).
    public let imageLeftEye: [Int]
    public let imageRightEye: [Int]
    public let yawPairs: [YawPair]
    /// Brows, eyes, nose and mouth: the points that stay put when a fit starts from a shifted box
    /// (the jaw contour does not), used to place the next frame's tracking box.
    public let inner: [Int]
    /// The asymmetry measures' points of the patient's right (image-left) and left (image-right) side.
    public let patientRight: MeasurePoints
    public let patientLeft: MeasurePoints
    /// The inner lips' midline points (top and bottom): the centre a smile angle is measured from.
    public let lipCentre: [Int]
    /// Each point's mirror image on a symmetric face (its own index for points on the midline).
    public let mirrorPartner: [Int]
    /// For each of the 68 iBUG points, the index of this layout's point taken for it (OpenFace 2's AU
    /// models need the 68; identity for the 68-point layout).
    public let ibug68: [Int]

    /// dlib / iBUG 300-W 68-point layout (0-based).
    public static let dlib68 = LandmarkLayout(
        name: "68-point (dlib / iBUG 300-W)", count: 68,
        glabella: [21, 22], chin: 8, noseTip: 30,
        imageLeftEye: Array(36...41), imageRightEye: Array(42...47),
        yawPairs: [
            YawPair(imageLeft: 36, imageRight: 45, halfWidth: 45, depthBehindNoseTip: 45),  // outer eye corners
            YawPair(imageLeft: 39, imageRight: 42, halfWidth: 16, depthBehindNoseTip: 30),  // inner eye corners
            YawPair(imageLeft: 48, imageRight: 54, halfWidth: 25, depthBehindNoseTip: 25),  // mouth corners
            YawPair(imageLeft: 2, imageRight: 14, halfWidth: 65, depthBehindNoseTip: 80),   // jaw at mouth level
        ],
        inner: Array(17..<68),
        patientRight: MeasurePoints(brow: Array(17...21), eye: Array(36...41), upperLid: [37, 38], lowerLid: [41, 40],
                                    innerCanthus: 39, ala: 31, commissure: 48, upperLip: 50, lowerLip: 58),
        patientLeft: MeasurePoints(brow: Array(22...26), eye: Array(42...47), upperLid: [43, 44], lowerLid: [47, 46],
                                   innerCanthus: 42, ala: 35, commissure: 54, upperLip: 52, lowerLip: 56),
        lipCentre: [62, 66],
        mirrorPartner: LandmarkLayout.partners(count: 68, pairs: [
            (0, 16), (1, 15), (2, 14), (3, 13), (4, 12), (5, 11), (6, 10), (7, 9),        // jaw
            (17, 26), (18, 25), (19, 24), (20, 23), (21, 22),                             // brows
            (31, 35), (32, 34),                                                           // nostrils
            (36, 45), (37, 44), (38, 43), (39, 42), (40, 47), (41, 46),                   // eyes
            (48, 54), (49, 53), (50, 52), (55, 59), (56, 58), (60, 64), (61, 63), (65, 67), // lips
        ]),
        ibug68: Array(0..<68))

    /// WFLW 98-point layout (0-based), as STAR and PFLD produce it.
    public static let wflw98 = LandmarkLayout(
        name: "98-point (WFLW)", count: 98,
        glabella: [38, 50], chin: 16, noseTip: 54,
        imageLeftEye: Array(60...67), imageRightEye: Array(68...75),
        yawPairs: [
            YawPair(imageLeft: 60, imageRight: 72, halfWidth: 45, depthBehindNoseTip: 45),
            YawPair(imageLeft: 64, imageRight: 68, halfWidth: 16, depthBehindNoseTip: 30),
            YawPair(imageLeft: 76, imageRight: 82, halfWidth: 25, depthBehindNoseTip: 25),
            YawPair(imageLeft: 4, imageRight: 28, halfWidth: 65, depthBehindNoseTip: 80),
        ],
        inner: Array(33..<98),
        patientRight: MeasurePoints(brow: Array(33...41), eye: Array(60...67), upperLid: [61, 62, 63], lowerLid: [67, 66, 65],
                                    innerCanthus: 64, ala: 55, commissure: 76, upperLip: 78, lowerLip: 86),
        patientLeft: MeasurePoints(brow: Array(42...50), eye: Array(68...75), upperLid: [69, 70, 71], lowerLid: [75, 74, 73],
                                   innerCanthus: 68, ala: 59, commissure: 82, upperLip: 80, lowerLip: 84),
        lipCentre: [90, 94],
        mirrorPartner: LandmarkLayout.partners(count: 98, pairs: (0..<16).map { ($0, 32 - $0) } + [
            (33, 46), (34, 45), (35, 44), (36, 43), (37, 42), (38, 50), (39, 49), (40, 48), (41, 47),   // brows
            (55, 59), (56, 58),                                                                       // nostrils
            (60, 72), (61, 71), (62, 70), (63, 69), (64, 68), (65, 75), (66, 74), (67, 73),             // eyes
            (76, 82), (77, 81), (78, 80), (83, 87), (84, 86), (88, 92), (89, 91), (93, 95), (96, 97),   // lips, pupils
        ]),
        // Jaw: every second point; brows: the upper contour; eyes: corners and the lid points nearest
        // the 68-point ones; nose, mouth: one to one.
        ibug68: stride(from: 0, through: 32, by: 2).map { $0 } + [33, 34, 35, 36, 37, 42, 43, 44, 45, 46]
            + Array(51...59) + [60, 61, 63, 64, 65, 67, 68, 69, 71, 72, 73, 75] + Array(76...95))

    static func partners(count: Int, pairs: [(Int, Int)]) -> [Int] {
        var partner = Array(0..<count)
        for (a, b) in pairs {
            partner[a] = b
            partner[b] = a
        }
        return partner
    }

    /// The face's parts whose fit can be judged on its own, as points of this layout (from the 68-point
    /// scheme's brows 17–26, nose 27–35, eyes 36–47 and mouth 48–67). The jaw contour is left out: it
    /// has no edge to hold it on many faces and moves with the box on every one.
    public var parts: [FacePart] {
        [FacePart(name: "brows", points: Array(ibug68[17...26])), FacePart(name: "nose", points: Array(ibug68[27...35])),
         FacePart(name: "eyes", points: Array(ibug68[36...47])), FacePart(name: "mouth", points: Array(ibug68[48...67]))]
    }

    public static func forCount(_ n: Int) -> LandmarkLayout? {
        [dlib68, wflw98].first { $0.count == n }
    }
}
