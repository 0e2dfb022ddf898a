import Foundation

/// A CSV file read whole into columns (the outputs facemirror writes: no quoting, "NaN" for missing).
public struct CSVTable: Sendable {
    public let path: String
    public let header: [String]
    public let rows: [[String]]

    public init(path: String) throws {
        self.path = path
        // Only a plain file: a folder or a device (/dev/zero never ends) is refused before it is read.
        let data: Data
        do {
            data = try RegularFile.contents(of: path)
        } catch let error as RegularFileError {
            throw CSVError.unreadable(path: path, reason: error.reason)
        }
        guard let text = String(data: data, encoding: .utf8) else { throw CSVError.unreadable(path: path, reason: "not UTF-8 text") }
        let lines = text.split(whereSeparator: \.isNewline)
        guard let first = lines.first else { throw CSVError.empty(path: path) }
        header = first.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        rows = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        if let bad = rows.firstIndex(where: { $0.count != header.count }) {
            throw CSVError.ragged(path: path, row: bad + 2, values: rows[bad].count, columns: header.count)
        }
    }

    public func has(_ name: String) -> Bool { header.contains(name) }

    /// A column as numbers (NaN where empty or not a number).
    public func column(_ name: String) -> [Double] {
        guard let i = header.firstIndex(of: name) else { return [Double](repeating: .nan, count: rows.count) }
        return rows.map { Double($0[i].trimmingCharacters(in: .whitespaces)) ?? .nan }
    }

    /// A column as the text it holds (empty strings where the column is absent).
    public func text(_ name: String) -> [String] {
        guard let i = header.firstIndex(of: name) else { return [String](repeating: "", count: rows.count) }
        return rows.map { $0[i] }
    }

    /// The `frame` column as whole numbers; a value that is not one (NaN, 1.5, text) is an error naming its row.
    public func frameNumbers() throws -> [Int] {
        guard let i = header.firstIndex(of: "frame") else {
            throw CSVError.notFaceMirrorCSV(path: path, reason: "no frame column")
        }
        return try rows.enumerated().map { n, row in
            let text = row[i].trimmingCharacters(in: .whitespaces)
            guard let v = Int(text) else { throw CSVError.badFrameNumber(path: path, row: n + 2, value: text) }
            return v
        }
    }

    /// Landmark i of every row.
    public func point(_ i: Int) -> [(x: Double, y: Double)] {
        zip(column("x_\(i)"), column("y_\(i)")).map { ($0, $1) }
    }
}
