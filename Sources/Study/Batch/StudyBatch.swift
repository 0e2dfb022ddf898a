import FaceMirror
import FaceMirrorCore
import Foundation

/// A study's batch as every front end starts one: the videos below the paths given (by extension, or
/// a glob), this shard's slice of them, the videos refused before any work (paths that give none, two
/// videos whose outputs would take the same names), and the study's state in the output folder.
public final class StudyBatch {
    /// Videos found under the paths, before the shard's slice is taken.
    public let foundCount: Int
    /// This shard's videos (all of them without a shard).
    public let inputs: [StudyInput]
    /// Paths that gave no video (missing, an empty folder).
    public let problems: [StudyInputs.Problem]
    /// Videos refused because an earlier one's outputs take their names.
    public let collisions: [(input: StudyInput, error: Error)]
    public let state: StudyState
    private let work: [StudyInput]
    private let outputDirectory: URL

    public init(paths: [String], glob: String?, shard: Shard?, outputDirectory: URL, staleAfter: TimeInterval) throws {
        let (found, problems) = StudyInputs.discover(paths, glob: glob)
        foundCount = found.count
        inputs = shard.map { $0.select(found) } ?? found
        self.problems = problems
        let (work, refused) = BatchRunner.refuseCollisions(inputs, under: outputDirectory)
        self.work = work
        collisions = refused.map { (input: $0.0, error: $0.1) }
        self.outputDirectory = outputDirectory
        state = try StudyState(outputDirectory: outputDirectory, shard: shard)
        state.staleAfter = staleAfter
    }

    /// Runs the videos not refused through `processors` (one per job), telling `observer` as it goes
    /// (the refused ones first, as failures).
    public func run(processors: [VideoProcessor], options: ProcessOptions, redo: RedoPolicy, writeReport: Bool,
                    observer: BatchObserver) throws {
        for problem in problems { observer.failed(problem.path, error: problem) }
        for (input, error) in collisions { observer.failed(input.path, error: error) }
        var options = options
        options.outputDirectory = outputDirectory
        let runner = try BatchRunner(processors: processors, options: options, state: state, redo: redo)
        runner.writeReport = writeReport
        try runner.run(work, observer: observer)
    }
}
