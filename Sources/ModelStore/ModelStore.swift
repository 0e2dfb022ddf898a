import FaceMirrorCore
import FileDigest
import Foundation

/// The user's model folder: model files plus `manifest.json` (name, file, SHA-256, source URL,
/// licence). `FACEMIRROR_MODELS` chooses the folder; otherwise `$XDG_DATA_HOME/facemirror/models`
/// (default `~/.local/share/facemirror/models`).
public final class ModelStore: Sendable {
    public let directory: URL
    public static let manifestName = "manifest.json"

    public init(directory: URL) { self.directory = directory }

    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let d = environment["FACEMIRROR_MODELS"], !d.isEmpty { return URL(fileURLWithPath: d, isDirectory: true) }
        let data = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".local/share").path
        return URL(fileURLWithPath: data, isDirectory: true).appendingPathComponent("facemirror/models", isDirectory: true)
    }

    private var manifestURL: URL { directory.appendingPathComponent(ModelStore.manifestName) }

    public func entries() throws -> [ModelEntry] {
        guard FileManager.default.fileExists(atPath: manifestURL.path) else { return [] }
        let entries: [ModelEntry]
        do {
            entries = try JSONDecoder().decode([ModelEntry].self, from: Data(contentsOf: manifestURL))
        } catch {
            throw StoreError.unreadableManifest(path: manifestURL.path, reason: ErrorText.describe(error))
        }
        if let problem = entries.lazy.compactMap(\.problem).first { throw StoreError.unreadableManifest(path: manifestURL.path, reason: problem) }
        return entries
    }

    public func path(of entry: ModelEntry) -> String { directory.appendingPathComponent(entry.file).path }

    /// Adds or replaces an entry (the manifest is rewritten atomically).
    func record(_ entry: ModelEntry) throws {
        var all = try entries().filter { $0.name != entry.name }
        all.append(entry)
        all.sort { $0.name < $1.name }
        let data = try JSONOutput.encode(all, keys: .asIs)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try data.write(to: manifestURL, options: .atomic)
    }

    /// What `importFile` and `install` ask of a file before it is stored: nil when it is a model,
    /// else why not (the store itself does not read ONNX; the caller that does passes this).
    public typealias ModelCheck = (_ path: String) -> String?

    /// Copies a model file into the store under its own file name, hashing it on the way. A model or
    /// file already stored under that name is replaced only with `overwrite`, and never when the
    /// file belongs to another model or is not a plain file.
    @discardableResult
    public func importFile(_ path: String, name: String? = nil, licence: String = "unknown", overwrite: Bool = false,
                           check: ModelCheck? = nil) throws -> ModelEntry {
        if let name, !ModelEntry.isPlainName(name) { throw StoreError.badName(name) }
        let source = URL(fileURLWithPath: path).standardizedFileURL
        let file = source.lastPathComponent
        let entryName = name ?? ModelEntry.plainName(from: source.deletingPathExtension().lastPathComponent)
        let final = directory.appendingPathComponent(file)
        let all = try entries()
        if source.path == final.standardizedFileURL.path {
            // Already in the store: record it as it is.
            let copy = try storedCopy(of: path, into: nil, check: check)
            return try recordImport(entryName, file: file, copy: copy, source: source, licence: licence)
        }
        if let owner = all.first(where: { $0.file == file && $0.name != entryName }) {
            throw StoreError.fileTaken(path: final.path, by: owner.name)
        }
        switch PathEntry.at(final.path) {
        case .nothing: break
        case .other: throw StoreError.notReplaceable(path: final.path)
        case .regularFile:
            if !overwrite { throw StoreError.alreadyStored(name: entryName, path: final.path) }
        }
        if !overwrite, all.contains(where: { $0.name == entryName }) {
            throw StoreError.alreadyStored(name: entryName, path: final.path)
        }
        let copy = try storedCopy(of: path, into: final, check: check)
        return try recordImport(entryName, file: file, copy: copy, source: source, licence: licence)
    }

    private func recordImport(_ name: String, file: String, copy: (sha256: String, bytes: Int), source: URL, licence: String) throws -> ModelEntry {
        let entry = ModelEntry(name: name, file: file, sha256: copy.sha256, source: source.absoluteString, licence: licence, bytes: copy.bytes)
        try record(entry)
        return entry
    }

    /// Copies `path` (a plain file, at most an ONNX file's 2 GiB) beside `final` under a temporary
    /// name, checks it, and renames it to `final`; with no `final`, only hashes and checks it. A
    /// failure leaves nothing behind.
    func storedCopy(of path: String, into final: URL?, check: ModelCheck?) throws -> (sha256: String, bytes: Int) {
        guard let final else {
            try RegularFile.check(path, limit: RegularFile.modelByteLimit)
            if let check, let reason = check(path) { throw StoreError.notAModel(path: path, reason: reason) }
            return (try FileDigest.sha256(ofFile: path), try RegularFile(opening: path).bytes)
        }
        try FileManager.default.createDirectory(at: final.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temp = final.deletingLastPathComponent().appendingPathComponent(".\(final.lastPathComponent).partial-\(getpid())")
        unlink(temp.path)  // one this process left when killed; a link is removed, not followed
        let copy: (sha256: String, bytes: Int)
        do {
            copy = try FileDigest.copy(path, to: temp.path, limit: RegularFile.modelByteLimit)
        } catch let error as RegularFileError where error.isMissing && error.path == path {
            throw StoreError.fileNotFound(path: path, doing: "store")
        }
        do {
            if let check, let reason = check(temp.path) { throw StoreError.notAModel(path: path, reason: reason) }
            guard rename(temp.path, final.path) == 0 else {
                throw StoreError.cannotWrite(path: final.path, reason: String(cString: strerror(errno)))
            }
        } catch {
            unlink(temp.path)
            throw error
        }
        return copy
    }

    /// Puts `path` in the store as `name`. A model already stored under that name keeps its file name;
    /// its previous file is kept as `<file>.bak` and recorded as the entry's backup.
    @discardableResult
    public func install(_ path: String, as name: String, licence: String? = nil, check: ModelCheck? = nil) throws -> ModelEntry {
        guard ModelEntry.isPlainName(name) else { throw StoreError.badName(name) }
        let all = try entries()
        let old = all.first { $0.name == name }
        let file = old?.file ?? URL(fileURLWithPath: path).lastPathComponent
        let final = directory.appendingPathComponent(file)
        if old == nil {
            if let owner = all.first(where: { $0.file == file }) { throw StoreError.fileTaken(path: final.path, by: owner.name) }
            if PathEntry.at(final.path) != .nothing { throw StoreError.notOurs(path: final.path) }
        } else if case .other = PathEntry.at(final.path) {
            throw StoreError.notReplaceable(path: final.path)
        }
        // Checked and copied beside the stored file first, so the stored one is moved to its backup
        // only once the new one is known to be good.
        let staged = directory.appendingPathComponent(".\(file).new-\(getpid())")
        unlink(staged.path)
        let copy = try storedCopy(of: path, into: staged, check: check)
        do {
            var backup: String?
            if old != nil, case .regularFile = PathEntry.at(final.path) {
                backup = file + ".bak"
                let b = directory.appendingPathComponent(file + ".bak")
                if case .other = PathEntry.at(b.path) { throw StoreError.notReplaceable(path: b.path) }
                guard rename(final.path, b.path) == 0 else { throw StoreError.cannotWrite(path: b.path, reason: String(cString: strerror(errno))) }
            }
            guard rename(staged.path, final.path) == 0 else {
                let reason = String(cString: strerror(errno))
                if let backup { rename(directory.appendingPathComponent(backup).path, final.path) }  // put the stored file back
                throw StoreError.cannotWrite(path: final.path, reason: reason)
            }
            var entry = ModelEntry(name: name, file: file, sha256: copy.sha256, source: URL(fileURLWithPath: path).standardizedFileURL.absoluteString,
                                   licence: licence ?? old?.licence ?? "unknown", bytes: copy.bytes)
            entry.backup = backup
            try record(entry)
            return entry
        } catch {
            unlink(staged.path)
            throw error
        }
    }

    /// A stored model's file and, when `install` replaced an earlier one, that earlier file: the
    /// caller loads the first and falls back on the second if it does not load (the store does not
    /// run models).
    public func files(of name: String) throws -> (path: String, backup: String?) {
        guard let e = try entries().first(where: { $0.name == name }) else {
            throw StoreError.unknownModel(name: name, store: directory.path)
        }
        return (path(of: e), e.backup.map { directory.appendingPathComponent($0).path })
    }

    /// True when the store has a model of this name.
    public func contains(_ name: String) -> Bool {
        (try? entries())?.contains { $0.name == name } ?? false
    }

    /// Downloads a catalogue entry (resuming a partial download), checks its SHA-256 and records it.
    @discardableResult
    public func fetch(_ entry: ModelEntry, progress: ((Int64, Int64?) -> Void)? = nil) throws -> ModelEntry {
        if let problem = entry.problem { throw StoreError.unreadableCatalogue(path: entry.name, reason: problem) }
        let final = directory.appendingPathComponent(entry.file)
        // An entry's file may sit in a sub-folder of the store (OpenFace 2's models do). Folders made
        // here are removed again if nothing comes to be in them.
        let made = try ModelStore.createDirectory(final.deletingLastPathComponent())
        if FileManager.default.fileExists(atPath: final.path), (try? FileDigest.sha256(ofFile: final.path)) == entry.sha256 {
            try record(entry)
            return entry
        }
        let partial = final.deletingLastPathComponent().appendingPathComponent(".\(final.lastPathComponent).partial")
        do {
            try Downloader.download(entry.source, to: partial, progress: progress)
        } catch {
            // A partial download is kept to resume from, an empty one is not.
            if ((try? FileManager.default.attributesOfItem(atPath: partial.path)[.size] as? NSNumber)?.intValue ?? 0) == 0 {
                try? FileManager.default.removeItem(at: partial)
            }
            for folder in made.reversed() { _ = rmdir(folder.path) }  // only if empty
            throw error
        }
        let sha = try FileDigest.sha256(ofFile: partial.path)
        guard sha == entry.sha256 else {
            try? FileManager.default.removeItem(at: partial)
            throw StoreError.checksumMismatch(url: entry.source, got: sha, expected: entry.sha256)
        }
        _ = try? FileManager.default.removeItem(at: final)
        try FileManager.default.moveItem(at: partial, to: final)
        var e = entry
        e.bytes = (try FileManager.default.attributesOfItem(atPath: final.path)[.size] as? NSNumber)?.intValue
        try record(e)
        return e
    }

    /// Makes `folder` and its missing parents; returns those it made, outermost first.
    static func createDirectory(_ folder: URL) throws -> [URL] {
        var missing: [URL] = []
        var f = folder.standardizedFileURL
        while !FileManager.default.fileExists(atPath: f.path), f.path != "/" {
            missing.insert(f, at: 0)
            f = f.deletingLastPathComponent()
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return missing
    }
}
