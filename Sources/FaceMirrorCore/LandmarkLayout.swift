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
        inner: Array(17..<68))

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
        inner: Array(33..<98))

    public static func forCount(_ n: Int) -> LandmarkLayout? {
        [dlib68, wflw98].first { $0.count == n }
    }
}
