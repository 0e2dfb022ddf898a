import FaceMirrorCore
import Foundation

/// The PDM's pose and shape that best explain 68 image points: OpenFace 2.2's `PDM::CalcParams`
/// (weak perspective, Gauss–Newton with Tikhonov regularisation by 1/eigenvalue, steps × 0.75, stopping
/// after 3 steps in a row that improve the error by less than 0.1 %), as pyfaceau 1.4.1 restates it.
public struct PDMParameters: Sendable, Equatable {
    /// Scale, rotation about x, y, z (radians), translation x, y (pixels).
    public var scale: Double, rx: Double, ry: Double, rz: Double, tx: Double, ty: Double
    public var local: [Double]
    public var global: [Double] { [scale, rx, ry, rz, tx, ty] }
}

extension PointDistributionModel {
    /// `start`: where the search begins (the previous frame's fit, when the face was followed), else
    /// from the points' bounding box as OpenFace does.
    public func fit(_ points: [Point], start: PDMParameters? = nil) -> PDMParameters {
        let n = Self.points, m = modeCount
        precondition(points.count == n)
        // OpenFace treats a point at x == 0 as not visible.
        let visible = (0..<n).filter { points[$0].x != 0 }
        let nv = visible.count
        let xs = visible.map { points[$0].x }, ys = visible.map { points[$0].y }
        let target = xs + ys

        let modelXs = mean[0..<n], modelYs = mean[n..<(2 * n)]
        let modelWidth = modelXs.max()! - modelXs.min()!, modelHeight = modelYs.max()! - modelYs.min()!
        let width = abs(xs.max()! - xs.min()!), height = abs(ys.max()! - ys.min()!)
        var g = start ?? PDMParameters(scale: (width / modelWidth + height / modelHeight) / 2, rx: 0, ry: 0, rz: 0,
                                       tx: (xs.min()! + xs.max()!) / 2, ty: (ys.min()! + ys.max()!) / 2,
                                       local: [Double](repeating: 0, count: m))

        // Shape of the visible points for local parameters p: rows X, Y, Z of each visible point.
        func shape(_ p: [Double]) -> [(Double, Double, Double)] {
            visible.map { i in
                var c = (mean[i], mean[n + i], mean[2 * n + i])
                for j in 0..<m {
                    c.0 += modes[i * m + j] * p[j]
                    c.1 += modes[(n + i) * m + j] * p[j]
                    c.2 += modes[(2 * n + i) * m + j] * p[j]
                }
                return c
            }
        }
        func project(_ s3: [(Double, Double, Double)], _ g: PDMParameters) -> [Double] {
            let r = Rotation3.euler(g.rx, g.ry, g.rz)
            var out = [Double](repeating: 0, count: 2 * nv)
            for (k, (x, y, z)) in s3.enumerated() {
                out[k] = g.scale * (r[0] * x + r[1] * y + r[2] * z) + g.tx
                out[nv + k] = g.scale * (r[3] * x + r[4] * y + r[5] * z) + g.ty
            }
            return out
        }
        func error(_ projected: [Double]) -> Double {
            var sum = 0.0
            for k in 0..<(2 * nv) { sum += (projected[k] - target[k]) * (projected[k] - target[k]) }
            return sum.squareRoot()
        }

        let unknowns = 6 + m
        var currentError = error(project(shape(g.local), g))
        var notImproved = 0
        for _ in 0..<1000 {
            let s3 = shape(g.local)
            let projected = project(s3, g)
            let r = Rotation3.euler(g.rx, g.ry, g.rz)
            // Jacobian (2nv × unknowns): d(projection)/d(scale, rotation, translation, local).
            var jac = [Double](repeating: 0, count: 2 * nv * unknowns)
            for (k, (x, y, z)) in s3.enumerated() {
                let rowX = k * unknowns, rowY = (nv + k) * unknowns
                jac[rowX + 0] = x * r[0] + y * r[1] + z * r[2]
                jac[rowY + 0] = x * r[3] + y * r[4] + z * r[5]
                jac[rowX + 1] = g.scale * (y * r[2] - z * r[1])
                jac[rowY + 1] = g.scale * (y * r[5] - z * r[4])
                jac[rowX + 2] = -g.scale * (x * r[2] - z * r[0])
                jac[rowY + 2] = -g.scale * (x * r[5] - z * r[3])
                jac[rowX + 3] = g.scale * (x * r[1] - y * r[0])
                jac[rowY + 3] = g.scale * (x * r[4] - y * r[3])
                jac[rowX + 4] = 1
                jac[rowY + 5] = 1
                let i = visible[k]
                for j in 0..<m {
                    let vx = modes[i * m + j], vy = modes[(n + i) * m + j], vz = modes[(2 * n + i) * m + j]
                    jac[rowX + 6 + j] = g.scale * (r[0] * vx + r[1] * vy + r[2] * vz)
                    jac[rowY + 6 + j] = g.scale * (r[3] * vx + r[4] * vy + r[5] * vz)
                }
            }
            // Normal equations with the shape prior: (JᵀJ + Λ) δ = Jᵀ(target − projection) − Λp.
            var hessian = [Double](repeating: 0, count: unknowns * unknowns)
            var rhs = [Double](repeating: 0, count: unknowns)
            for row in 0..<(2 * nv) {
                let residual = target[row] - projected[row]
                let base = row * unknowns
                for a in 0..<unknowns {
                    let ja = jac[base + a]
                    if ja == 0 { continue }
                    rhs[a] += ja * residual
                    for b in a..<unknowns { hessian[a * unknowns + b] += ja * jac[base + b] }
                }
            }
            for a in 0..<unknowns { for b in 0..<a { hessian[a * unknowns + b] = hessian[b * unknowns + a] } }
            for j in 0..<m {
                hessian[(6 + j) * unknowns + 6 + j] += 1 / eigenvalues[j]
                rhs[6 + j] -= g.local[j] / eigenvalues[j]
            }
            guard var step = CholeskySolver.solve(hessian, rhs, size: unknowns) else { break }
            for k in 0..<unknowns { step[k] *= 0.75 }

            g.scale += step[0]
            g.tx += step[4]
            g.ty += step[5]
            // Rotation: the current one composed with the small rotation of the step, made orthonormal.
            let small = Rotation3.nearestRotation([1, -step[3], step[2], step[3], 1, -step[1], -step[2], step[1], 1])
            let angles = Rotation3.eulerAngles(Rotation3.multiply(r, small))
            (g.rx, g.ry, g.rz) = angles.allSatisfy({ $0.isFinite }) ? (angles[0], angles[1], angles[2]) : (0, 0, 0)
            for j in 0..<m { g.local[j] += step[6 + j] }

            let newError = error(project(shape(g.local), g))
            if 0.999 * currentError < newError {
                notImproved += 1
                if notImproved == 3 { break }
            } else {
                notImproved = 0
            }
            currentError = newError
        }
        return g
    }
}

/// 3 × 3 rotations (row-major) as OpenFace's RotationHelpers define them.
enum Rotation3 {
    /// R = Rx · Ry · Rz.
    static func euler(_ rx: Double, _ ry: Double, _ rz: Double) -> [Double] {
        let s1 = sin(rx), s2 = sin(ry), s3 = sin(rz), c1 = cos(rx), c2 = cos(ry), c3 = cos(rz)
        return [c2 * c3, -c2 * s3, s2,
                c1 * s3 + c3 * s1 * s2, c1 * c3 - s1 * s2 * s3, -c2 * s1,
                s1 * s3 - c1 * c3 * s2, c3 * s1 + c1 * s2 * s3, c1 * c2]
    }

    /// (rx, ry, rz) of a rotation, through its quaternion (RotationMatrix2Euler).
    static func eulerAngles(_ r: [Double]) -> [Double] {
        let q0 = (1 + r[0] + r[4] + r[8]).squareRoot() / 2
        let q1 = (r[7] - r[5]) / (4 * q0), q2 = (r[2] - r[6]) / (4 * q0), q3 = (r[3] - r[1]) / (4 * q0)
        let t1 = min(1, max(-1, 2 * (q0 * q2 + q1 * q3)))
        let yaw = asin(t1)
        let pitch = atan2(2 * (q0 * q1 - q2 * q3), q0 * q0 - q1 * q1 - q2 * q2 + q3 * q3)
        let roll = atan2(2 * (q0 * q3 - q1 * q2), q0 * q0 + q1 * q1 - q2 * q2 - q3 * q3)
        return [pitch, yaw, roll]
    }

    static func multiply(_ a: [Double], _ b: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: 9)
        for i in 0..<3 { for j in 0..<3 { out[i * 3 + j] = a[i * 3] * b[j] + a[i * 3 + 1] * b[3 + j] + a[i * 3 + 2] * b[6 + j] } }
        return out
    }

    /// The rotation nearest to a matrix close to one (its polar factor, which OpenFace's Orthonormalise
    /// takes through an SVD), by Newton's iteration X ← (X + X⁻ᵀ) / 2.
    static func nearestRotation(_ m: [Double]) -> [Double] {
        var x = m
        for _ in 0..<30 {
            let det = x[0] * (x[4] * x[8] - x[5] * x[7]) - x[1] * (x[3] * x[8] - x[5] * x[6]) + x[2] * (x[3] * x[7] - x[4] * x[6])
            guard det != 0 else { return x }
            // Inverse transpose = cofactor matrix / det.
            let cof = [x[4] * x[8] - x[5] * x[7], -(x[3] * x[8] - x[5] * x[6]), x[3] * x[7] - x[4] * x[6],
                       -(x[1] * x[8] - x[2] * x[7]), x[0] * x[8] - x[2] * x[6], -(x[0] * x[7] - x[1] * x[6]),
                       x[1] * x[5] - x[2] * x[4], -(x[0] * x[5] - x[2] * x[3]), x[0] * x[4] - x[1] * x[3]]
            var change = 0.0
            for k in 0..<9 {
                let next = (x[k] + cof[k] / det) / 2
                change = max(change, abs(next - x[k]))
                x[k] = next
            }
            if change < 1e-15 { break }
        }
        return x
    }
}

/// Solves A x = b for a symmetric positive-definite A (row-major, size × size) by Cholesky
/// factorisation; nil when A is not positive definite.
enum CholeskySolver {
    static func solve(_ a: [Double], _ b: [Double], size n: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var sum = a[i * n + j]
                for k in 0..<j { sum -= l[i * n + k] * l[j * n + k] }
                if i == j {
                    guard sum > 0 else { return nil }
                    l[i * n + i] = sum.squareRoot()
                } else {
                    l[i * n + j] = sum / l[j * n + j]
                }
            }
        }
        var y = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var sum = b[i]
            for k in 0..<i { sum -= l[i * n + k] * y[k] }
            y[i] = sum / l[i * n + i]
        }
        var x = [Double](repeating: 0, count: n)
        for i in stride(from: n - 1, through: 0, by: -1) {
            var sum = y[i]
            for k in (i + 1)..<n { sum -= l[k * n + i] * x[k] }
            x[i] = sum / l[i * n + i]
        }
        return x
    }
}
