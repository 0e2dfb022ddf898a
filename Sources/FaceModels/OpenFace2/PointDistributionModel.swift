import FaceMirrorCore
import Foundation

/// OpenFace 2's 3D point distribution model of the 68-point face (In-the-wild_aligned_PDM_68.txt):
/// a mean shape and 34 modes, laid out X0…X67, Y0…Y67, Z0…Z67.
public struct PointDistributionModel: Sendable {
    public static let points = 68
    public let mean: [Double]              // 204
    public let modes: [Double]             // 204 × 34, row-major
    public let eigenvalues: [Double]       // 34
    public var modeCount: Int { eigenvalues.count }

    public init(path: String) throws {
        let lines = try OpenFaceTextMatrix.lines(of: path)
        let (mean, afterMean) = try OpenFaceTextMatrix.read(lines, from: 0, path: path)
        let (modes, afterModes) = try OpenFaceTextMatrix.read(lines, from: afterMean, path: path)
        let (eigen, _) = try OpenFaceTextMatrix.read(lines, from: afterModes, path: path)
        let n3 = 3 * Self.points
        guard mean.rows == n3, mean.columns == 1, modes.rows == n3, modes.columns == eigen.rows * eigen.columns,
              eigen.values.allSatisfy({ $0 > 0 }) else {
            throw ModelError.invalid(path: path, reason: "not a 68-point PDM (mean \(mean.rows)×\(mean.columns), modes \(modes.rows)×\(modes.columns), \(eigen.values.count) eigenvalues)")
        }
        self.mean = mean.values
        self.modes = modes.values
        self.eigenvalues = eigen.values
    }

    /// OpenFace 2's geometry features: the modes' displacement of every point (204, without the mean)
    /// followed by the 34 local parameters.
    public func geometryFeatures(local p: [Double]) -> [Double] {
        let m = modeCount
        var out = [Double](repeating: 0, count: mean.count + m)
        for r in 0..<mean.count {
            var sum = 0.0
            for j in 0..<m { sum += modes[r * m + j] * p[j] }
            out[r] = sum
        }
        for j in 0..<m { out[mean.count + j] = p[j] }
        return out
    }
}
