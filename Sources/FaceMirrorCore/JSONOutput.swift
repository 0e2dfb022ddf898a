import Foundation

/// How facemirror writes JSON, for every file and every `--json`: pretty, keys sorted (snake_case
/// unless a file's readers expect the names as they are), slashes left alone, and numbers that are
/// not finite written as the CSVs write them: "NaN", "inf", "-inf". A value that cannot be encoded
/// is an error, never an empty file.
public enum JSONOutput {
    public enum Keys: Sendable { case snakeCase, asIs }

    /// The encoded value followed by a newline.
    public static func encode<T: Encodable>(_ value: T, keys: Keys = .snakeCase) throws -> Data {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        if keys == .snakeCase { enc.keyEncodingStrategy = .convertToSnakeCase }
        enc.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "NaN")
        return try enc.encode(value) + Data("\n".utf8)
    }

    /// A decoder for what `encode` wrote with snake_case keys (facemirror's own JSON files read back).
    public static func decoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "NaN")
        return d
    }

    /// Encodes first, then writes the file in place (an encoding error leaves no file behind).
    public static func write<T: Encodable>(_ value: T, to path: String, keys: Keys = .snakeCase) throws {
        let data = try encode(value, keys: keys)
        try data.write(to: URL(fileURLWithPath: path))
    }
}
