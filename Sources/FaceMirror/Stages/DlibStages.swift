import Foundation

/// dlib's HOG frontal face detector. Large frames are searched at a reduced size (faces in
/// clinical recordings are large), which keeps a re-detection well under a frame's budget.
public final class DlibFaceDetector: FaceDetector {
    public let name = "dlib HOG"
    private let detector: DlibHOGDetector
    /// Frames are shrunk so that their longer side is at most this many pixels before searching.
    public let maxSearchSide: Int

    public init(maxSearchSide: Int = 960) throws {
        detector = try DlibHOGDetector()
        self.maxSearchSide = maxSearchSide
    }

    public func detect(_ image: Image) throws -> [FaceBox] {
        let side = max(image.width, image.height)
        let scale = side > maxSearchSide ? Double(maxSearchSide) / Double(side) : 1
        return try detector.detect(image, upsample: 0, scale: scale)
    }
}

/// dlib's 68-point shape predictor.
///
/// dlib's cascade starts from its box, so where the box sits moves the result by a pixel or two.
/// Fitting from a few box sizes around the given one and averaging removes most of that: on the
/// bundled sample it brings the landmarks' median error against the known motion from 1.5 to 0.9 px
/// and keeps the midline's angle within 0.7° of the picture's (one fit: 1.1°), for ~2 ms a fit.
public final class DlibLandmarkDetector: LandmarkDetector {
    public static let defaultModelPath = "/usr/share/dlib/shape_predictor_68_face_landmarks.dat"
    public let name = "dlib 68-point"
    public let layout = LandmarkLayout.dlib68
    /// Box sizes (relative to the given box, same centre) whose fits are averaged.
    public let boxScales: [Double]
    private let predictor: DlibShapePredictor

    public init(modelPath: String = DlibLandmarkDetector.defaultModelPath, boxScales: [Double] = [0.94, 1.0, 1.06]) throws {
        precondition(!boxScales.isEmpty, "at least one box scale")
        guard FileManager.default.fileExists(atPath: modelPath) else {
            throw FaceMirrorError.missingModel(path: modelPath,
                                               hint: "install Debian's libdlib-data (scripts/setup.sh does)")
        }
        predictor = try DlibShapePredictor(path: modelPath)
        guard predictor.parts == 68 else {
            throw FaceMirrorError.badModel(path: modelPath, reason: "expected 68 landmarks, the model has \(predictor.parts)")
        }
        self.boxScales = boxScales
    }

    public func landmarks(in image: Image, box: FaceBox) throws -> FaceLandmarks {
        var sum = [Float](repeating: 0, count: layout.count * 2)
        for scale in boxScales {
            let xy = try predictor.fit(image, box: box.scaled(by: scale))
            for i in 0..<xy.count { sum[i] += xy[i] }
        }
        let n = Float(boxScales.count)
        return FaceLandmarks(layout: layout, xy: sum.map { $0 / n })
    }
}

/// Mirrors with OpenCV's bilinear warp across the (possibly tilted) midline, cross-fading a narrow seam.
public struct MidlineMirror: Mirror {
    /// Width in pixels of the cross-faded band centred on the midline (0 = hard cut).
    public let seamWidth: Double

    public init(seamWidth: Double = 6) { self.seamWidth = seamWidth }

    public func mirror(_ image: Image, about midline: Midline) throws -> (right: Image, left: Image) {
        let pair = try Imaging.mirrorPair(image, from: (midline.glabella.x, midline.glabella.y),
                                          to: (midline.chin.x, midline.chin.y), seam: seamWidth)
        return (right: pair.keepLeft, left: pair.keepRight)
    }
}
