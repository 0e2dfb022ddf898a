import Foundation

/// A CSV file read whole into columns (the outputs facemirror writes: no quoting, "NaN" for missing).
public struct CSVTable: Sendable {
    public let path: String
    public let header: [String]
    public let rows: [[String]]

    public init(path: String) throws {
        self.path = path
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw FaceMirrorError.cannotWrite(path: path, reason: "cannot read it: \(error.localizedDescription)")
        }
        let lines = text.split(whereSeparator: \.isNewline)
        guard let first = lines.first else { throw FaceMirrorError.badModel(path: path, reason: "empty CSV file") }
        header = first.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        rows = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        if let bad = rows.firstIndex(where: { $0.count != header.count }) {
            throw FaceMirrorError.badModel(path: path, reason: "row \(bad + 2) has \(rows[bad].count) values for \(header.count) columns")
        }
    }

    public func has(_ name: String) -> Bool { header.contains(name) }

    /// A column as numbers (NaN where empty or not a number).
    public func column(_ name: String) -> [Double] {
        guard let i = header.firstIndex(of: name) else { return [Double](repeating: .nan, count: rows.count) }
        return rows.map { Double($0[i].trimmingCharacters(in: .whitespaces)) ?? .nan }
    }

    /// Landmark i of every row.
    public func point(_ i: Int) -> [(x: Double, y: Double)] {
        zip(column("x_\(i)"), column("y_\(i)")).map { ($0, $1) }
    }
}
