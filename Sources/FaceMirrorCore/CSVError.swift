/// Why a CSV could not be read or compared, naming the file (and the row, where there is one).
public enum CSVError: Error, CustomStringConvertible, Sendable {
    case unreadable(path: String, reason: String)
    case empty(path: String)
    /// A data row (numbered as a spreadsheet shows it: the header is row 1) with the wrong number of values.
    case ragged(path: String, row: Int, values: Int, columns: Int)
    case notFaceMirrorCSV(path: String, reason: String)
    case columnsDiffer(path: String, from: String)
    /// A `frame` value that is not a whole number.
    case badFrameNumber(path: String, row: Int, value: String)

    public var description: String {
        switch self {
        case .unreadable(let p, let r): return "\(p): cannot read it (\(r))"
        case .empty(let p): return "\(p): empty CSV file"
        case .ragged(let p, let row, let v, let c): return "\(p): row \(row) has \(v) values for \(c) columns"
        case .notFaceMirrorCSV(let p, let r): return "\(p): not a facemirror CSV (\(r))"
        case .columnsDiffer(let p, let other): return "\(p): its columns differ from \(other)'s"
        case .badFrameNumber(let p, let row, let v): return "\(p): row \(row): frame \"\(v)\" is not a whole number"
        }
    }
}
