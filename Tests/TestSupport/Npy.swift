import Foundation
import OrtBinding

/// Reads numpy .npy files (format 1.0/2.0, C order, little-endian).
public enum Npy {
    public struct Failure: Error, CustomStringConvertible { public let description: String }

    /// A float32 array as a Tensor.
    public static func load(_ path: String) throws -> Tensor {
        let (descr, shape, body) = try parse(path)
        guard descr == "<f4" else { throw Failure(description: "\(path): only float32 is read as a tensor (\(descr))") }
        let count = shape.reduce(1, *)
        return Tensor(shape: shape, values: body.withUnsafeBytes { raw in (0..<count).map { raw.loadUnaligned(fromByteOffset: 4 * $0, as: Float.self) } })
    }

    /// Any float64, float32, int32 or uint8 array as doubles, with its shape.
    public static func numbers(_ path: String) throws -> (shape: [Int], values: [Double]) {
        let (descr, shape, body) = try parse(path)
        let count = shape.reduce(1, *)
        let values: [Double] = body.withUnsafeBytes { raw in
            (0..<count).map { i in
                switch descr {
                case "<f8": return raw.loadUnaligned(fromByteOffset: 8 * i, as: Double.self)
                case "<f4": return Double(raw.loadUnaligned(fromByteOffset: 4 * i, as: Float.self))
                case "<i4": return Double(raw.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self))
                default: return Double(raw[i])
                }
            }
        }
        return (shape, values)
    }

    /// The element type, shape and data bytes, the size checked.
    private static func parse(_ path: String) throws -> (descr: String, shape: [Int], body: Data) {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard data.count > 10, data.prefix(6) == Data([0x93]) + Data("NUMPY".utf8) else { throw Failure(description: "\(path): not a .npy file") }
        let major = data[6]
        let headerLength = major == 1 ? Int(data[8]) | Int(data[9]) << 8
                                      : Int(data[8]) | Int(data[9]) << 8 | Int(data[10]) << 16 | Int(data[11]) << 24
        let start = major == 1 ? 10 : 12
        let header = String(decoding: data[start..<(start + headerLength)], as: UTF8.self)
        guard header.contains("'fortran_order': False") else { throw Failure(description: "\(path): Fortran order is not read") }
        let widths = ["<f8": 8, "<f4": 4, "<i4": 4, "|u1": 1]
        guard let (descr, width) = widths.first(where: { header.contains("'descr': '\($0.key)'") }) else {
            throw Failure(description: "\(path): unsupported element type (\(header))")
        }
        let shapeText = header.components(separatedBy: "'shape': (")[1].components(separatedBy: ")")[0]
        let shape = shapeText.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let body = Data(data[(start + headerLength)...])
        guard body.count == shape.reduce(1, *) * width else { throw Failure(description: "\(path): \(body.count) bytes for shape \(shape)") }
        return (descr, shape, body)
    }
}
