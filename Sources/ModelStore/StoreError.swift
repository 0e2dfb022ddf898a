/// Why the model store could not do what was asked, naming the file, model or address concerned.
public enum StoreError: Error, CustomStringConvertible, Sendable {
    case fileNotFound(path: String, doing: String)
    case unknownModel(name: String, store: String)
    case unreadableManifest(path: String, reason: String)
    case unreadableCatalogue(path: String, reason: String)
    case notAURL(String)
    case insecureURL(String)
    case httpStatus(url: String, status: Int)
    case unreachable(url: String, reason: String)
    case interrupted(url: String, bytes: Int64, of: Int64?, reason: String?)
    case checksumMismatch(url: String, got: String, expected: String)
    case cannotWrite(path: String, reason: String)
    case badName(String)
    case alreadyStored(name: String, path: String)
    case fileTaken(path: String, by: String)
    case notReplaceable(path: String)
    case notOurs(path: String)
    case notAModel(path: String, reason: String)

    public var description: String {
        switch self {
        case .fileNotFound(let p, let doing): return "\(p): no such file (nothing to \(doing))"
        case .unknownModel(let n, let store): return "\(n): no such model in the store \(store) (see `facemirror model list`)"
        case .unreadableManifest(let p, let r): return "\(p): unreadable manifest (\(r))"
        case .unreadableCatalogue(let p, let r):
            return "\(p): not a model catalogue, a JSON list of name, file, sha256, source, licence (\(r))"
        case .notAURL(let s): return "\(s): not a URL"
        case .insecureURL(let s): return "\(s): models are only downloaded over HTTPS"
        case .httpStatus(let u, let status): return "\(u): the server answered HTTP \(status)"
        case .unreachable(let u, let reason):
            return "\(u): the download failed, the server could not be reached (\(reason)); is this machine offline?"
        case .interrupted(let u, let bytes, let total, let reason):
            return "\(u): download interrupted after \(bytes)\(total.map { " of \($0)" } ?? "") bytes (run fetch again to resume)"
                + (reason.map { ": \($0)" } ?? "")
        case .checksumMismatch(let u, let got, let expected):
            return "\(u): SHA-256 \(got) is not the expected \(expected); the download was deleted"
        case .cannotWrite(let p, let r): return "\(p): cannot write (\(r))"
        case .badName(let n):
            return "\(n): not a model name (words of letters, digits, '.', '-' and '_', each starting with a letter or digit, joined by '/')"
        case .alreadyStored(let n, let p):
            return "\(n): a model of this name or file is already stored (\(p)); --overwrite replaces it, `model install --as` keeps the old one as a backup"
        case .fileTaken(let p, let owner): return "\(p): the stored file of the model \(owner); rename the file to store it as well"
        case .notReplaceable(let p): return "\(p): not a plain file (a folder, a link or a device); the store does not replace it"
        case .notOurs(let p): return "\(p): a file the store did not record is in the way; move it first"
        case .notAModel(let p, let r): return "\(p): not stored: \(r)"
        }
    }
}
