/// A path read from a file the tool does not control (a study's state, a catalogue) that may only name
/// something inside one folder: relative, every component a plain name (no `..`, `.`, empty component
/// or NUL). A shared study folder is input like any other; its state file can say anything.
public enum ContainedPath {
    /// The path as given when it stays inside the folder it is relative to, else nil.
    public static func relative(_ path: String) -> String? {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.contains("\0") else { return nil }
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        guard components.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }) else { return nil }
        return path
    }
}
