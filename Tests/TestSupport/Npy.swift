import Foundation
import OrtBinding

/// Reads a little-endian float32 .npy file (numpy's format 1.0/2.0, C order) as a Tensor.
public enum Npy {
    public struct Failure: Error, CustomStringConvertible { public let description: String }

    public static func load(_ path: String) throws -> Tensor {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard data.count > 10, data.prefix(6) == Data([0x93]) + Data("NUMPY".utf8) else { throw Failure(description: "\(path): not a .npy file") }
        let major = data[6]
        let headerLength = major == 1 ? Int(data[8]) | Int(data[9]) << 8
                                      : Int(data[8]) | Int(data[9]) << 8 | Int(data[10]) << 16 | Int(data[11]) << 24
        let start = major == 1 ? 10 : 12
        let header = String(decoding: data[start..<(start + headerLength)], as: UTF8.self)
        guard header.contains("'descr': '<f4'"), header.contains("'fortran_order': False") else {
            throw Failure(description: "\(path): only little-endian float32 in C order is read (\(header))")
        }
        let shapeText = header.components(separatedBy: "'shape': (")[1].components(separatedBy: ")")[0]
        let shape = shapeText.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let body = data[(start + headerLength)...]
        let count = shape.reduce(1, *)
        guard body.count == count * 4 else { throw Failure(description: "\(path): \(body.count) bytes for shape \(shape)") }
        let values = body.withUnsafeBytes { raw in (0..<count).map { raw.loadUnaligned(fromByteOffset: 4 * $0, as: Float.self) } }
        return Tensor(shape: shape, values: values)
    }
}

extension Npy {
    /// Any little-endian float64, float32, int32 or uint8 array (C order) as doubles, with its shape.
    public static func numbers(_ path: String) throws -> (shape: [Int], values: [Double]) {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard data.count > 10, data.prefix(6) == Data([0x93]) + Data("NUMPY".utf8) else { throw Failure(description: "\(path): not a .npy file") }
        let major = data[6]
        let headerLength = major == 1 ? Int(data[8]) | Int(data[9]) << 8
                                      : Int(data[8]) | Int(data[9]) << 8 | Int(data[10]) << 16 | Int(data[11]) << 24
        let start = major == 1 ? 10 : 12
        let header = String(decoding: data[start..<(start + headerLength)], as: UTF8.self)
        guard header.contains("'fortran_order': False") else { throw Failure(description: "\(path): Fortran order") }
        let shapeText = header.components(separatedBy: "'shape': (")[1].components(separatedBy: ")")[0]
        let shape = shapeText.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let count = shape.reduce(1, *)
        let body = Data(data[(start + headerLength)...])
        let types: [(String, Int)] = [("<f8", 8), ("<f4", 4), ("<i4", 4), ("|u1", 1)]
        guard let (descr, width) = types.first(where: { header.contains("'descr': '\($0.0)'") }) else {
            throw Failure(description: "\(path): unsupported type (\(header))")
        }
        guard body.count == count * width else { throw Failure(description: "\(path): \(body.count) bytes for shape \(shape)") }
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
}
