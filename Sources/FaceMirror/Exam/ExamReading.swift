import FaceMirrorCore
import Foundation
import Logging

/// The exam of a processed video in two steps: its timeline from the source found before decoding (a
/// coding, an upstream CSV, or found from the measures), which `--au-baseline rest` needs before the
/// AUs are finished; then the analysis with the AUs. What the timeline's reading warns of (segments
/// cut at the video's end, rows beyond its frames) is logged with the analysis's own warnings.
struct ExamReading {
    let timeline: ExamResult.Timeline
    let warnings: [String]
    let noMovement: String?

    /// The timeline of `input` over the frames of `measures` (AUs, where given, help label found movements).
    init(_ input: TimelineInput, measures: MeasureTrack, actionUnits: AUTable?, duration: Double) {
        let frames = ExamFrames(measures: measures, actionUnits: actionUnits, duration: duration)
        var noMovement: String?
        var warnings: [String] = []
        switch input {
        case .coding(let coding, let sha):
            let (segments, w) = coding.timed(frameTimes: frames.times, duration: duration)
            warnings = w
            timeline = .init(source: .codingFile, file: coding.path, sha256: sha, segments: segments)
        case .upstream(let upstream, let sha):
            let (segments, w) = upstream.timed(frameTimes: frames.times, duration: duration)
            warnings = w
            timeline = .init(source: .upstreamCSV, file: upstream.path, sha256: sha, segments: segments)
        case .automatic:
            let finding = MovementFinder().find(frames)
            noMovement = finding.noMovement
            timeline = .init(source: .auto, file: nil, sha256: nil, segments: finding.segments)
        }
        self.warnings = warnings
        self.noMovement = noMovement
    }

    /// The positions of the frames within rest segments (for `--au-baseline rest`).
    func restFrames(of measures: MeasureTrack) -> [Int] {
        let rests = timeline.segments.filter { $0.action == .rest }
        return measures.frames.indices.filter { i in rests.contains { $0.contains(measures.frames[i].time) } }
    }

    /// The analysis, its warnings logged.
    func analyse(measures: MeasureTrack, actionUnits: AUTable?, duration: Double, video: String, logger: Logger) -> ExamResult {
        let frames = ExamFrames(measures: measures, actionUnits: actionUnits, duration: duration)
        logger.info("\(video): exam timeline (\(timeline.source.rawValue)): \(timeline.segments.count) segments")
        var result = ExamAnalysis.analyse(frames, timeline: timeline, video: video, noMovement: noMovement)
        result.warnings = warnings + result.warnings
        for w in result.warnings { logger.warning("\(video): \(w)") }
        if let reason = result.noMovement { logger.info("\(video): exam: \(reason)") }
        return result
    }
}
