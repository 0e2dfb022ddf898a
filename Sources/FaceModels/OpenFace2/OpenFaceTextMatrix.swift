import Foundation

/// A matrix in OpenFace's text format (PDM and triangulation files): optional `#` comment lines, then
/// rows, columns, an OpenCV type code, then rows × columns numbers separated by white space.
struct OpenFaceTextMatrix {
    let rows: Int
    let columns: Int
    let values: [Double]

    /// Reads the matrix that starts at `lines[start...]` and returns it with the index after it.
    static func read(_ lines: [Substring], from start: Int, path: String) throws -> (OpenFaceTextMatrix, next: Int) {
        var i = start
        func nextLine() -> Substring? {
            while i < lines.count {
                let line = lines[i].trimmingCharacters(in: .whitespaces)
                i += 1
                if !line.isEmpty && !line.hasPrefix("#") { return Substring(line) }
            }
            return nil
        }
        guard let r = nextLine().flatMap({ Int($0) }), let c = nextLine().flatMap({ Int($0) }), nextLine().flatMap({ Int($0) }) != nil,
              r > 0, c > 0 else {
            throw ModelError.invalid(path: path, reason: "not an OpenFace matrix file (no rows, columns, type header at line \(start + 1))")
        }
        var values: [Double] = []
        values.reserveCapacity(r * c)
        while values.count < r * c, let line = nextLine() {
            for token in line.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
                guard let v = Double(token) else { throw ModelError.invalid(path: path, reason: "'\(token)' is not a number (line \(i))") }
                values.append(v)
            }
        }
        guard values.count == r * c else {
            throw ModelError.invalid(path: path, reason: "a \(r)×\(c) matrix holds \(values.count) values")
        }
        return (OpenFaceTextMatrix(rows: r, columns: c, values: values), i)
    }

    static func lines(of path: String) throws -> [Substring] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ModelError.notFound(path: path, hint: "an OpenFace 2 model file")
        }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
    }
}
