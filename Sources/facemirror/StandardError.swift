import Foundation

/// Text to stderr that never stops the program: when stderr is a pipe whose reader has gone, the
/// write fails quietly (Foundation's non-throwing `write` would trap) and the SIGPIPE handler ends
/// the run, cleaning up as for Ctrl-C.
enum StandardError {
    static func write(_ text: String) {
        try? FileHandle.standardError.write(contentsOf: Data(text.utf8))
    }
}
