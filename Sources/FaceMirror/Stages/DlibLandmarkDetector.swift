import FaceModels
import FaceMirrorCore
import Foundation
import VisionBinding

/// dlib's 68-point shape predictor.
///
/// dlib's cascade starts from its box, so where the box sits moves the result by a pixel or two.
/// Fitting from a few box sizes around the given one and averaging removes most of that: on the
/// bundled sample it brings the landmarks' median error against the known motion from 1.5 to 0.9 px
/// and keeps the midline's angle within 0.7° of the picture's (one fit: 1.1°), for ~2 ms a fit.
public final class DlibLandmarkDetector: LandmarkDetector {
    /// Debian's libdlib-data puts the model here; `FACEMIRROR_DLIB_LANDMARKS` (or `process --dlib-landmarks`)
    /// names another copy (Homebrew, a download).
    public static let debianModelPath = "/usr/share/dlib/shape_predictor_68_face_landmarks.dat"
    public static let environmentVariable = "FACEMIRROR_DLIB_LANDMARKS"
    /// The model file used when none is given: the environment's, else Debian's.
    public static var defaultModelPath: String {
        ProcessInfo.processInfo.environment[environmentVariable].flatMap { $0.isEmpty ? nil : $0 } ?? debianModelPath
    }
    public let name = "dlib 68-point"
    public let layout = LandmarkLayout.dlib68
    /// Box sizes (relative to the given box, same centre) whose fits are averaged.
    public let boxScales: [Double]
    private let predictor: DlibShapePredictor

    public let modelPath: String

    public init(modelPath: String = DlibLandmarkDetector.defaultModelPath, boxScales: [Double] = [0.94, 1.0, 1.06]) throws {
        precondition(!boxScales.isEmpty, "at least one box scale")
        guard FileManager.default.fileExists(atPath: modelPath) else {
            throw ModelError.notFound(path: modelPath, hint: "install Debian's libdlib-data (scripts/env/setup.sh does), or name the file with --dlib-landmarks or \(DlibLandmarkDetector.environmentVariable)")
        }
        self.modelPath = modelPath
        predictor = try DlibShapePredictor(path: modelPath)
        guard predictor.parts == 68 else {
            throw ModelError.wrongKind(path: modelPath, kind: "68-point landmark", found: "it has \(predictor.parts) points",
                                       expected: "68")
        }
        self.boxScales = boxScales
    }

    /// dlib's HOG detector's box around the 68 points' inner bounding box. The detector itself gives centres
    /// from 6 % (frames shrunk to 960 px) to 15 % (native size) below the points' centre; 8.5 % keeps head yaw
    /// within 0.6° at full, half and quarter size and a lifted mouth corner seen at 37–48 % of its lift
    /// (`testHeadYawDoesNotDependOnTheFrameSize`, `AsymmetryClipTests`).
    public let preferredBoxRelation: BoxRelation? = BoxRelation(dx: 0.02, dy: 0.085, sx: 1.33, sy: 1.45)

    public func landmarks(in image: Image, box: FaceBox, timer: StageTimer) throws -> FaceLandmarks {
        try timer.measure("landmarks") {
            let fits = try boxScales.map { try predictor.fit(image, box: box.scaled(by: $0)) }
            let n = Float(fits.count)
            var sum = [Float](repeating: 0, count: layout.count * 2)
            for xy in fits { for i in 0..<xy.count { sum[i] += xy[i] } }
            let mean = sum.map { $0 / n }
            guard fits.count > 1 else { return FaceLandmarks(layout: layout, xy: mean) }
            // The fits' disagreement, per point: the landmark quality's measure (`LandmarkQuality`).
            var spread = [Float](repeating: 0, count: layout.count)
            for xy in fits {
                for p in 0..<layout.count {
                    let dx = xy[2 * p] - mean[2 * p], dy = xy[2 * p + 1] - mean[2 * p + 1]
                    spread[p] += (dx * dx + dy * dy) / n
                }
            }
            return FaceLandmarks(layout: layout, xy: mean, spread: spread.map { $0.squareRoot() })
        }
    }
}
