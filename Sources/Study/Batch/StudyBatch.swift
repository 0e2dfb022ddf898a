import FaceMirror
import FaceMirrorCore
import Foundation
import Logging

/// A study's batch as every front end starts one: the videos below the paths given (by extension, or
/// a glob), this shard's slice of them, what is refused before any work (paths that do not exist, two
/// videos whose outputs would take the same names), and the study's state in the output folder. The
/// study's own outputs are never inputs: files its state lists as outputs, and the output folder when
/// it lies inside a folder given, are left out (`leftOut` counts them). Nothing is created until there
/// is a video to run.
public final class StudyBatch {
    /// Videos found under the paths, before the shard's slice is taken.
    public let foundCount: Int
    /// This shard's videos (all of them without a shard).
    public let inputs: [StudyInput]
    /// Paths given that do not exist: refused like a video that cannot be read.
    public let missing: [StudyInputs.Problem]
    /// Folders given that hold no video (once the study's own outputs are left out).
    public let emptyFolders: [StudyInputs.Problem]
    /// Videos refused because an earlier one's outputs take their names.
    public let collisions: [(input: StudyInput, error: Error)]
    /// Files found that are this study's own outputs, left out.
    public let leftOut: Int
    private let work: [StudyInput]
    private let outputDirectory: URL
    private let shard: Shard?

    /// `logger` hears of a wait for another process's lock on a state file. `only`: the videos to run,
    /// by their names in the state (`StudyInput.key`); nil for all of them.
    public init(paths: [String], glob: String?, shard: Shard?, outputDirectory: URL, only: Set<String>? = nil, logger: Logger? = nil) throws {
        let exclusions = try StudyBatch.ownOutputs(of: outputDirectory, inputs: paths, logger: logger)
        let (found, problems, leftOut) = StudyInputs.discover(paths, glob: glob, excluding: exclusions)
        foundCount = found.count
        let slice = shard.map { $0.select(found) } ?? found
        inputs = only.map { keys in slice.filter { keys.contains($0.key) } } ?? slice
        missing = problems.filter { if case .missing = $0 { return true } else { return false } }
        emptyFolders = problems.filter { if case .noVideos = $0 { return true } else { return false } }
        self.leftOut = leftOut
        let (work, refused) = BatchRunner.refuseCollisions(inputs, under: outputDirectory)
        self.work = work
        collisions = refused.map { (input: $0.0, error: $0.1) }
        self.outputDirectory = outputDirectory
        self.shard = shard
    }

    /// True when some video is left to run (else `run` creates nothing).
    public var hasWork: Bool { !work.isEmpty }

    /// What a search of `inputs` must leave out: every output listed by the study state files in
    /// `directory` and in each folder given (a study run there before), and `directory` itself when it
    /// lies inside a folder given (not when it is that folder).
    static func ownOutputs(of directory: URL, inputs: [String], logger: Logger? = nil) throws -> StudyInputs.Exclusions {
        let root = directory.standardizedFileURL.path
        var exclusions = StudyInputs.Exclusions()
        var folders = [directory]
        for input in inputs {
            let folder = URL(fileURLWithPath: input, isDirectory: true).standardizedFileURL
            if root.hasPrefix(folder.path + "/") { exclusions.folders.append(root) }
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDir), isDir.boolValue, folder.path != root { folders.append(folder) }
        }
        for folder in folders {
            for file in StudyState.files(in: folder) {
                let state = try StudyState(file: file, readOnly: true, logger: logger)
                for record in try state.records() {
                    for output in record.outputFiles {
                        exclusions.files.insert(folder.appendingPathComponent(output.path).standardizedFileURL.path)
                    }
                }
            }
        }
        return exclusions
    }

    /// Runs the videos not refused through `processors` (one per job), telling `observer` as it goes
    /// (the refused ones first, as failures). The output folder and the state file are made only when
    /// there is a video to run. `command` is kept in the state as the study's; `stop` can end the run early.
    public func run(processors: [VideoProcessor], options: ProcessOptions, redo: RedoPolicy, staleAfter: TimeInterval,
                    writeReport: Bool, observer: BatchObserver, command: RecordedCommand? = nil, stop: BatchStop? = nil) throws {
        for problem in missing { observer.failed(problem.path, error: problem) }
        for (input, error) in collisions { observer.failed(input.path, error: error) }
        guard hasWork else { return }
        let madeFolder = PathEntry.at(outputDirectory.path) == .nothing
        try OutputFiles.createDirectory(outputDirectory)
        let state: StudyState
        do {
            state = try StudyState(outputDirectory: outputDirectory, shard: shard, logger: processors.first?.logger)
        } catch {
            if madeFolder { rmdir(outputDirectory.path) }  // only if empty
            throw error
        }
        state.staleAfter = staleAfter
        if let command { try state.record(command) }
        var options = options
        options.outputDirectory = outputDirectory
        let runner = try BatchRunner(processors: processors, options: options, state: state, redo: redo)
        runner.writeReport = writeReport
        runner.stop = stop
        try runner.run(work, observer: observer)
    }
}
