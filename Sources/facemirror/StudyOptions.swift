import ArgumentParser
import FaceMirrorCore
import Study

/// How a study's batch runs: jobs, shards, reruns, and the event log.
struct StudyOptions: ParsableArguments {
    @Option(name: .shortAndLong, parsing: .unconditional,
            help: "Videos processed at once (at most one per core). Threads are divided among them (jobs × threads ≤ cores) unless --threads or --ort-threads are given.")
    var jobs: Int = 1

    @Option(help: ArgumentHelp("Process only the K-th (from 0) of N slices of the videos, e.g. 0/4, for N machines sharing a study.",
                               discussion: "Every shard computes the same split from the same videos (balanced by size), so a Slurm job array (--shard $SLURM_ARRAY_TASK_ID/N with --array=0-(N-1)) or a Kubernetes Indexed Job needs no coordinator."))
    var shard: Shard?

    @Option(help: ArgumentHelp("Which videos a rerun processes again: none, failed or all.",
                               discussion: "Videos done with the same input, options and models are skipped; interrupted ones are always redone, and videos whose options or models changed are redone with their old outputs replaced. A done video whose file now has other content is refused (its results kept) unless --redo all or --overwrite. failed (default): also those that failed; none: failed ones stay failed; all: every video."))
    var redo: RedoPolicy = .failed

    @Option(help: "Seconds after which a video claimed by a process on another machine that has stopped reporting is taken over.")
    var staleAfter: Double = 300

    @Option(help: "Also write one JSON object per event (video started, finished, failed; warnings) to this file.", completion: .file())
    var jsonLog: String?

    func validate() throws {
        if let m = WorkLimits.check("--jobs", jobs, in: 1...WorkLimits.maxJobs, why: WorkLimits.jobsReason) { throw ValidationError(m) }
        guard staleAfter > 0 else { throw ValidationError("--stale-after must be more than 0 seconds") }
    }
}
