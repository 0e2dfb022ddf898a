import FaceMirrorCore
import Foundation

/// The one place the command line tells the user that something failed: `facemirror: error: …` on
/// stderr. Every error type says what failed and names the file or model concerned.
enum ErrorReport {
    static func error(_ error: Error) {
        write(ErrorText.describe(error))
    }

    /// An error about one input of several, named first unless the error already names it.
    static func error(_ error: Error, input: String) {
        let text = ErrorText.describe(error)
        write(text.hasPrefix(input) ? text : "\(input): \(text)")
    }

    /// A failure described in words.
    static func error(_ message: String) {
        write(message)
    }

    private static func write(_ text: String) {
        StandardError.write("facemirror: error: \(text)\n")
    }
}
