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
public final class DlibLandmarkDetector: LandmarkDetector {
    public static let defaultModelPath = "/usr/share/dlib/shape_predictor_68_face_landmarks.dat"
    public let name = "dlib 68-point"
    public let layout = LandmarkLayout.dlib68
    private let predictor: DlibShapePredictor

    public init(modelPath: String = DlibLandmarkDetector.defaultModelPath) throws {
        guard FileManager.default.fileExists(atPath: modelPath) else {
            throw FaceMirrorError.missingModel(path: modelPath,
                                               hint: "install Debian's libdlib-data (scripts/setup.sh does)")
        }
        predictor = try DlibShapePredictor(path: modelPath)
        guard predictor.parts == 68 else {
            throw FaceMirrorError.badModel(path: modelPath, reason: "expected 68 landmarks, the model has \(predictor.parts)")
        }
    }

    public func landmarks(in image: Image, box: FaceBox) throws -> FaceLandmarks {
        FaceLandmarks(layout: layout, xy: try predictor.fit(image, box: box))
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
