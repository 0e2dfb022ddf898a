import Foundation

/// One video of a study: where it is, and where its outputs go relative to the output folder.
public struct StudyInput: Sendable, Equatable {
    /// The path as found (the argument, or the argument folder joined with the path inside it).
    public let path: String
    /// The folder, relative to the folder given on the command line, that the video sits in ("" for a
    /// file given directly): its outputs go to the same place below the output folder, so that
    /// same-named videos of two folders do not collide.
    public let relativeDirectory: String

    public init(path: String, relativeDirectory: String) {
        self.path = path
        self.relativeDirectory = relativeDirectory
    }

    /// The path relative to the folder given (the file name for a file given directly): the video's
    /// name in the study's state and the shard split.
    public var key: String {
        let name = URL(fileURLWithPath: path).lastPathComponent
        return relativeDirectory.isEmpty ? name : relativeDirectory + "/" + name
    }

    /// The folder this video's outputs go to.
    public func outputDirectory(under root: URL) -> URL {
        relativeDirectory.isEmpty ? root : root.appendingPathComponent(relativeDirectory, isDirectory: true)
    }
}

/// Finds a study's videos: files as given, folders searched recursively for video files (by
/// extension, or matching `--glob`), in a stable order (sorted by path within each folder given).
public enum StudyInputs {
    /// The extensions taken from a folder when no pattern is given (compared without case).
    public static let videoExtensions: Set<String> = ["mp4", "m4v", "mov", "avi", "mkv", "webm", "mts", "m2ts", "mpg", "mpeg", "wmv", "3gp", "flv"]

    /// Why an argument gives no videos.
    public enum Problem: Error, CustomStringConvertible, Sendable {
        case missing(path: String)
        case noVideos(folder: String, glob: String?)

        /// The argument concerned.
        public var path: String {
            switch self {
            case .missing(let p), .noVideos(let p, _): return p
            }
        }

        public var description: String {
            switch self {
            case .missing(let p): return "\(p): no such file or folder"
            case .noVideos(let f, let g):
                return "no videos found in \(f)" + (g.map { " matching \($0)" } ?? " (taken by extension; --glob PATTERN picks others)")
            }
        }
    }

    /// What a search leaves out: the study's own outputs (files and the output folder below an input
    /// folder), so that a study folder is never its own input.
    public struct Exclusions: Sendable {
        /// Standardized paths of files to leave out.
        public var files: Set<String> = []
        /// Standardized paths of folders whose contents are left out.
        public var folders: [String] = []

        public init(files: Set<String> = [], folders: [String] = []) {
            self.files = files
            self.folders = folders
        }

        func excludes(_ path: String) -> Bool {
            files.contains(path) || folders.contains { path.hasPrefix($0 + "/") }
        }
    }

    /// The videos of each argument, in order; an argument that gives none is a problem, reported
    /// with the others found. `leftOut`: files found in folders that `excluding` names.
    public static func discover(_ arguments: [String], glob: String? = nil, excluding: Exclusions = Exclusions())
        -> (inputs: [StudyInput], problems: [Problem], leftOut: Int) {
        var inputs: [StudyInput] = [], problems: [Problem] = [], leftOut = 0
        for argument in arguments {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDir) else {
                problems.append(.missing(path: argument))
                continue
            }
            guard isDir.boolValue else {
                inputs.append(StudyInput(path: argument, relativeDirectory: ""))
                continue
            }
            let folder = URL(fileURLWithPath: argument, isDirectory: true)
            let all = videos(in: folder, glob: glob)
            let found = all.filter { !excluding.excludes(folder.appendingPathComponent($0).standardizedFileURL.path) }
            leftOut += all.count - found.count
            if found.isEmpty { problems.append(.noVideos(folder: argument, glob: glob)) }
            inputs += found.map { rel in
                StudyInput(path: URL(fileURLWithPath: argument, isDirectory: true).appendingPathComponent(rel).path,
                           relativeDirectory: (rel as NSString).deletingLastPathComponent)
            }
        }
        return (inputs, problems, leftOut)
    }

    /// Relative paths of the video files below `folder`, sorted; hidden files and folders are skipped.
    /// Symbolic links are followed (a DataLad or git-annex dataset is all links): a folder reached twice
    /// (a link loop, or two links to one folder) is searched once, and a file reached twice is taken once.
    static func videos(in folder: URL, glob: String?) -> [String] {
        var seenFolders = Set<FileIdentity>(), seenFiles = Set<FileIdentity>()
        var out: [String] = []
        func walk(_ dir: String, _ relative: String) {
            guard let id = FileIdentity(path: dir), seenFolders.insert(id).inserted,
                  let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return }
            for name in names.sorted() where !name.hasPrefix(".") {
                let path = (dir as NSString).appendingPathComponent(name)
                let rel = relative.isEmpty ? name : relative + "/" + name
                var st = stat()
                guard stat(path, &st) == 0 else { continue }  // a dangling link
                switch st.st_mode & S_IFMT {
                case S_IFDIR: walk(path, rel)
                case S_IFREG:
                    if matches(rel, glob: glob), seenFiles.insert(FileIdentity(st)).inserted { out.append(rel) }
                default: continue
                }
            }
        }
        walk(folder.path, "")
        return out.sorted()
    }

    /// A file or folder as the file system knows it (links resolved).
    struct FileIdentity: Hashable {
        let device: UInt64
        let inode: UInt64
        init(_ st: stat) {
            device = UInt64(st.st_dev)
            inode = UInt64(st.st_ino)
        }
        init?(path: String) {
            var st = stat()
            guard stat(path, &st) == 0 else { return nil }
            self.init(st)
        }
    }

    /// By extension without a pattern; with one, shell-style against the file name, or against the
    /// relative path when the pattern has a '/'.
    static func matches(_ relativePath: String, glob: String?) -> Bool {
        guard let glob else {
            return videoExtensions.contains((relativePath as NSString).pathExtension.lowercased())
        }
        let subject = glob.contains("/") ? relativePath : (relativePath as NSString).lastPathComponent
        return fnmatch(glob, subject, glob.contains("/") ? FNM_PATHNAME : 0) == 0
    }
}
