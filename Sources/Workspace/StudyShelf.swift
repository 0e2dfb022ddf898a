import Foundation
import Study

/// The study folders a workspace serves, each under a number in its addresses (`/study/1`): those given
/// on the command line and those added from the page. Only files under these folders are ever served.
public final class StudyShelf: @unchecked Sendable {
    public struct Entry: Sendable, Equatable {
        public let id: Int
        /// The folder's real path (links resolved), against which every served file is checked.
        public let directory: URL
    }

    private let lock = NSLock()
    private var list: [Entry] = []

    public init() {}

    public var entries: [Entry] {
        lock.lock(); defer { lock.unlock() }
        return list
    }

    public func entry(_ id: Int) -> Entry? { entries.first { $0.id == id } }

    /// Adds a study's output folder (one that holds a study state); the same folder again is the entry it has.
    @discardableResult
    public func add(_ path: String) throws -> Entry {
        let trimmed = path.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw WorkspaceError(path: path, reason: "no folder given") }
        let url = URL(fileURLWithPath: (trimmed as NSString).expandingTildeInPath)
        _ = try StudyFolder(directory: url)
        guard let real = realpath(url.path, nil) else { throw WorkspaceError(path: url.path, reason: String(cString: strerror(errno))) }
        defer { free(real) }
        let directory = URL(fileURLWithPath: String(cString: real), isDirectory: true)
        lock.lock(); defer { lock.unlock() }
        if let known = list.first(where: { $0.directory.path == directory.path }) { return known }
        let entry = Entry(id: (list.map(\.id).max() ?? 0) + 1, directory: directory)
        list.append(entry)
        return entry
    }
}
