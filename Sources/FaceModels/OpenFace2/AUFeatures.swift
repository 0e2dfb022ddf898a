import FaceMirrorCore
import Foundation
import VisionBinding

/// What OpenFace 2's AU regressors read from one face: the FHOG of the aligned, masked face and the
/// PDM's geometry features.
public struct AUFeatures: Sendable {
    public static let hogCount = 4464          // 12 × 12 cells × 31
    public static let geometryCount = 238      // 204 + 34
    public static let cellSize = 8

    public var hog: [Float]
    public var geometry: [Float]
    public var parameters: PDMParameters

    public init(hog: [Float], geometry: [Float], parameters: PDMParameters) {
        self.hog = hog
        self.geometry = geometry
        self.parameters = parameters
    }

    /// Fits the PDM to the 68 points, aligns and masks the face, and extracts both feature sets.
    /// Features are float32, as pyfaceau keeps them (OpenFace's C++ keeps FHOG as float, geometry as double).
    public static func extract(_ frame: Image, landmarks: [Point], models: OpenFace2Models) throws -> AUFeatures {
        let parameters = models.pdm.fit(landmarks)
        let (face, _, _) = try models.alignment.align(frame, landmarks: landmarks, tx: parameters.tx, ty: parameters.ty)
        let hog = try FHOG.features(face, cellSize: cellSize)
        guard hog.values.count == hogCount else {
            throw ModelError.unexpectedOutput(model: "FHOG", got: "\(hog.rows)×\(hog.columns) cells", expected: "12×12")
        }
        let geometry = models.pdm.geometryFeatures(local: parameters.local).map { Float($0) }
        return AUFeatures(hog: hog.values, geometry: geometry, parameters: parameters)
    }
}
