import Foundation

/// One of OpenFace 2's linear support-vector regressors for an AU intensity (a `.dat` file of
/// `AU_predictors/svr_combined`): prediction = (x − means [− running median]) · weights + bias over
/// x = [FHOG (4464), geometry (238)].
public struct LinearSVR: Sendable {
    public enum Kind: Sendable, Equatable {
        /// On the frame's features alone.
        case `static`
        /// On the features minus the video's running median (the person's neutral face), with the
        /// share of frames taken as neutral when the predictions are shifted after the video (`cutoff`).
        case dynamic(cutoff: Double)
    }

    public let au: String
    public let file: String
    public let kind: Kind
    public let means: [Double]
    public let weights: [Double]
    public let bias: Double

    public var isDynamic: Bool { if case .dynamic = kind { return true } else { return false } }

    /// Reads a `.dat` file: int32 kind (0 static, 1 dynamic), float64 cutoff (dynamic only), then means and
    /// weights as OpenCV binary matrices (int32 rows, columns, type; float64 values), then a float64 bias.
    public init(au: String, path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ModelError.notFound(path: path, hint: "an OpenFace 2 AU regressor")
        }
        var reader = LittleEndianReader(data: data, path: path)
        let type = try reader.int32()
        switch type {
        case 0: kind = .static
        case 1: kind = .dynamic(cutoff: try reader.float64())
        default: throw ModelError.invalid(path: path, reason: "regressor type \(type); expected 0 (static) or 1 (dynamic) SVR")
        }
        means = try reader.matrix()
        weights = try reader.matrix()
        bias = try reader.float64()
        guard means.count == weights.count, !means.isEmpty else {
            throw ModelError.invalid(path: path, reason: "\(means.count) means for \(weights.count) weights")
        }
        guard reader.atEnd else { throw ModelError.invalid(path: path, reason: "\(reader.remaining) bytes after the bias") }
        self.au = au
        self.file = path
    }

    /// The part of the prediction that does not depend on the frame: bias − (means + median) · weights.
    public func offset(median: [Double]?) -> Double {
        var sum = 0.0
        if let median {
            for i in 0..<means.count { sum += (means[i] + median[i]) * weights[i] }
        } else {
            for i in 0..<means.count { sum += means[i] * weights[i] }
        }
        return bias - sum
    }
}

/// Reads little-endian numbers from a model file, with errors naming the file.
struct LittleEndianReader {
    let data: Data
    let path: String
    private(set) var offset = 0

    init(data: Data, path: String) {
        self.data = data
        self.path = path
    }

    var atEnd: Bool { offset == data.count }
    var remaining: Int { data.count - offset }

    private mutating func take(_ n: Int) throws -> Data {
        guard offset + n <= data.count else { throw ModelError.invalid(path: path, reason: "ends early (at byte \(data.count))") }
        defer { offset += n }
        return data[data.startIndex + offset ..< data.startIndex + offset + n]
    }

    mutating func int32() throws -> Int32 {
        try take(4).withUnsafeBytes { Int32(littleEndian: $0.loadUnaligned(as: Int32.self)) }
    }

    mutating func float64() throws -> Double {
        try take(8).withUnsafeBytes { Double(bitPattern: UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self))) }
    }

    /// An OpenCV matrix as OpenFace writes it: rows, columns, type (6 = CV_64F), then the values.
    mutating func matrix() throws -> [Double] {
        let rows = Int(try int32()), columns = Int(try int32()), type = try int32()
        guard type == 6, rows > 0, columns > 0, rows * columns < 10_000_000 else {
            throw ModelError.invalid(path: path, reason: "a \(rows)×\(columns) matrix of OpenCV type \(type); expected float64 (6)")
        }
        return try (0..<(rows * columns)).map { _ in try float64() }
    }
}
