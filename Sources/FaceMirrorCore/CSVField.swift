/// One field of a CSV row, quoted when it holds a comma, quote or line break (RFC 4180).
public enum CSVField {
    public static func quote(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Text from outside the tool (a file or folder name, a model's node name) as a field a spreadsheet
    /// shows as text: one starting with =, +, -, @, a tab or a carriage return is a formula to Excel,
    /// LibreOffice and Google Sheets (`=1+2.mp4`), so it gets a leading apostrophe and is quoted, as
    /// OWASP's advice on CSV injection says; then quoted as `quote` does.
    public static func text(_ s: String) -> String {
        guard let first = s.first, "=+-@\t\r".contains(first) else { return quote(s) }
        return "\"'" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
