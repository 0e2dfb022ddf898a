import FaceMirrorCore
import FileDigest
import Foundation

/// The user's model folder: model files plus `manifest.json` (name, file, SHA-256, source URL,
/// licence). `FACEMIRROR_MODELS` chooses the folder; otherwise `$XDG_DATA_HOME/facemirror/models`
/// (default `~/.local/share/facemirror/models`).
public final class ModelStore {
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

    /// Copies model files into the store under their own names, hashing them on the way.
    @discardableResult
    public func importFile(_ path: String, name: String? = nil, licence: String = "unknown") throws -> ModelEntry {
        if let name, !ModelEntry.isPlainName(name) { throw StoreError.badName(name) }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue else {
            throw StoreError.fileNotFound(path: path, doing: "import")
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let source = URL(fileURLWithPath: path).standardizedFileURL
        let file = source.lastPathComponent
        let final = directory.appendingPathComponent(file)
        let temp = directory.appendingPathComponent(".\(file).partial-\(getpid())")
        try? FileManager.default.removeItem(at: temp)
        do {
            try FileManager.default.copyItem(at: source, to: temp)
            let sha = try FileDigest.sha256(ofFile: temp.path)
            let size = (try FileManager.default.attributesOfItem(atPath: temp.path)[.size] as? NSNumber)?.intValue
            if source.path != final.standardizedFileURL.path {
                _ = try? FileManager.default.removeItem(at: final)
                try FileManager.default.moveItem(at: temp, to: final)
            } else {
                try FileManager.default.removeItem(at: temp)
            }
            let entry = ModelEntry(name: name ?? ModelEntry.plainName(from: source.deletingPathExtension().lastPathComponent), file: file, sha256: sha,
                                   source: source.absoluteString, licence: licence, bytes: size)
            try record(entry)
            return entry
        } catch {
            try? FileManager.default.removeItem(at: temp)
            throw error
        }
    }

    /// Puts `path` in the store as `name`. A model already stored under that name keeps its file name;
    /// its previous file is kept as `<file>.bak` and recorded as the entry's backup.
    @discardableResult
    public func install(_ path: String, as name: String, licence: String? = nil) throws -> ModelEntry {
        guard ModelEntry.isPlainName(name) else { throw StoreError.badName(name) }
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError.fileNotFound(path: path, doing: "install") }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let old = try entries().first { $0.name == name }
        let file = old?.file ?? URL(fileURLWithPath: path).lastPathComponent
        let final = directory.appendingPathComponent(file)
        let temp = directory.appendingPathComponent(".\(file).partial-\(getpid())")
        try? FileManager.default.removeItem(at: temp)
        do {
            try FileManager.default.copyItem(at: URL(fileURLWithPath: path), to: temp)
            let sha = try FileDigest.sha256(ofFile: temp.path)
            var backup: String?
            if old != nil, FileManager.default.fileExists(atPath: final.path) {
                backup = file + ".bak"
                let b = directory.appendingPathComponent(backup!)
                try? FileManager.default.removeItem(at: b)
                try FileManager.default.moveItem(at: final, to: b)
            }
            try FileManager.default.moveItem(at: temp, to: final)
            let size = (try FileManager.default.attributesOfItem(atPath: final.path)[.size] as? NSNumber)?.intValue
            var entry = ModelEntry(name: name, file: file, sha256: sha, source: URL(fileURLWithPath: path).standardizedFileURL.absoluteString,
                                   licence: licence ?? old?.licence ?? "unknown", bytes: size)
            entry.backup = backup
            try record(entry)
            return entry
        } catch {
            try? FileManager.default.removeItem(at: temp)
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
