import FaceModels
import FaceMirrorCore
import Foundation
import Logging
import MediaBinding
import OrtBinding
import VisionBinding
import FileDigest

/// Runs the pipeline on one video: decode → follow the face (one `FrameAnalysis` per frame) → mirror,
/// measure, and run the AU methods on both hemifaces → every output (`FrameSink`): mirrored videos,
/// debug video, landmark CSV, AU CSVs, asymmetry, stills, and any the caller adds; then the
/// performance report and the provenance record.
///
/// Everything it runs is fixed when it is made. One video at a time: its stages keep per-video state
/// (dlib's detector must not be shared between threads), so parallel jobs each use a processor of their own.
public final class VideoProcessor: @unchecked Sendable {
    /// Told after each frame; what it throws ends the video as an error would (a batch being stopped).
    public typealias Progress = (_ framesDone: Int, _ framesExpected: Int?, _ elapsed: Double) throws -> Void

    public let detector: FaceDetector
    public let landmarker: LandmarkDetector
    /// The AU methods measured on both hemifaces, the run's first (whose AUs take the main CSVs) first.
    public let actionUnits: [HemifaceAUMethod]
    /// The models the stages and AU methods run, for the provenance record and the study's fingerprint.
    public let models: [ModelUse]
    /// How ONNX Runtime runs them, when any stage uses it.
    public let session: SessionOptions?
    /// Where its warnings go (the batch around it reports through the same).
    public let logger: Logger

    /// `stageModels`: the detector's and landmark model's files (the AU methods name their own).
    public init(detector: FaceDetector, landmarker: LandmarkDetector, actionUnits: [HemifaceAUMethod] = [],
                stageModels: [ModelUse] = [], session: SessionOptions? = nil, logger: Logger) {
        self.detector = detector
        self.landmarker = landmarker
        self.actionUnits = actionUnits
        models = stageModels + actionUnits.flatMap(\.models)
        self.session = session
        self.logger = logger
    }

    /// The default stack: dlib HOG detector, dlib 68-point landmarks, no AUs.
    public static func dlibDefault(logger: Logger) throws -> VideoProcessor {
        let landmarks = try DlibLandmarkDetector()
        return VideoProcessor(detector: try DlibFaceDetector(), landmarker: landmarks,
                              stageModels: [ModelUse.dlibDetector, ModelUse.dlibLandmarks(landmarks.modelPath)], logger: logger)
    }

    /// What the processor writes for each input (besides the files of sinks the caller adds).
    public func outputSuffixes(debugVideo: Bool) -> [String] {
        OutputNames.all(debugVideo: debugVideo, actionUnits: actionUnits.map(\.method),
                        extraColumns: actionUnits.contains { !$0.extraColumns.isEmpty })
    }

    /// Final output paths that already exist for `input`.
    public func existingOutputs(for input: String, options: ProcessOptions) -> [String] {
        let files = OutputFiles(directory: options.outputDirectory, stem: OutputNames.stem(of: input))
        return outputSuffixes(debugVideo: options.debugVideo).map(files.finalPath).filter {
            FileManager.default.fileExists(atPath: $0)
        }
    }

    /// Processes one video. `sinks` are outputs of the caller's, fed after the built-in ones; files
    /// they write through their context's `files` are committed or discarded with the others.
    public func process(_ input: String, options: ProcessOptions, sinks: [FrameSinkFactory] = [],
                        progress: Progress? = nil) throws -> ProcessSummary {
        let names = OutputFiles(directory: options.outputDirectory, stem: OutputNames.stem(of: input))
        if let tooLong = names.nameTooLong(suffixes: outputSuffixes(debugVideo: options.debugVideo) + [OutputNames.report], input: input) {
            throw tooLong
        }
        if let inTheWay = names.notAFile(suffixes: outputSuffixes(debugVideo: options.debugVideo)) { throw inTheWay }
        if !options.overwrite {
            let existing = existingOutputs(for: input, options: options)
            if !existing.isEmpty { throw OutputError.exist(paths: existing) }
        }
        // The exam's timeline file is read now: a bad coding is said before the video is decoded. The
        // video's other outputs are still written; the exam's are not.
        var timeline: TimelineInput?
        var examProblem: String?
        do {
            timeline = try TimelineInput.locate(input: input, outputDirectory: options.outputDirectory, actionsFile: options.actionsFile) {
                options.ownOutputs.contains($0) || ProvenanceRecord.lists($0)
            }
        } catch {
            examProblem = "\(error)"
            logger.error("\(error); the exam is not analysed (no \(OutputNames.exam) or \(OutputNames.timeline)), the other outputs are written")
        }
        let timer = StageTimer()
        let started = DispatchTime.now().uptimeNanoseconds
        let startedAt = Date()
        // Opened once: the video is decoded and its audio kept for the writers that copy it.
        let reader = try VideoReader(path: input, threads: options.threads, keepAudio: true, allowTruncated: options.allowTruncated)
        let info = reader.info
        let frameCount = info.announcedFrameCount.map(String.init) ?? "unknown"
        logger.info("\(input): \(info.width)x\(info.height) \(info.codecName), time base \(info.timeBase), \(frameCount) frames, turned \(info.quarterTurnsClockwise * 90)° clockwise")

        let files = OutputFiles(directory: options.outputDirectory, stem: OutputNames.stem(of: input))
        for path in OutputFiles.removeStaleTemporaries(in: options.outputDirectory) {
            logger.info("removed \(path), left by a run that was killed")
        }
        do {
            let context = SinkContext(video: info, encoder: options.encoder, threads: options.threads, files: files,
                                      layout: landmarker.layout, timer: timer, tally: FrameTally(), logger: logger,
                                      audio: reader.audio)
            var summary = try run(reader: reader, options: options, context: context, extraSinks: sinks, timeline: timeline,
                                  started: started, progress: progress)
            summary.examProblem = examProblem
            // The completion record of an earlier run goes first: a set being replaced is never marked complete.
            if options.overwrite { unlink(files.finalPath(OutputNames.provenance)) }
            try files.commit(overwrite: options.overwrite)
            let record = try writeProvenance(summary, reader: reader, options: options, files: files, started: startedAt)
            summary.outputs = files.finalPaths
            let provenance = files.finalPath(OutputNames.provenance)
            summary.files = record.outputs + [ProvenanceRecord.File(name: URL(fileURLWithPath: provenance).lastPathComponent,
                                                                    bytes: record.bytes.count,
                                                                    sha256: FileDigest.sha256(of: record.bytes))]
            let errors = reader.ffmpegErrors
            if errors > 0 {
                logger.warning("\(input): FFmpeg reported \(errors) error\(errors == 1 ? "" : "s") while reading it (damaged data; -v shows them)")
            }
            return summary
        } catch {
            files.discard()
            throw error
        }
    }

    /// Writes `<stem>_provenance.json` once the other outputs are in place.
    private func writeProvenance(_ summary: ProcessSummary, reader: VideoReader, options: ProcessOptions, files: OutputFiles,
                                 started: Date) throws -> (outputs: [ProvenanceRecord.File], bytes: Data) {
        let record = try ProvenanceRecord(summary: summary, reader: reader, options: options, processor: self, outputs: files.finalPaths,
                                          started: started)
        let temp = files.temporaryPath(for: OutputNames.provenance)
        let bytes: Data
        do {
            bytes = try record.json()
            try bytes.write(to: URL(fileURLWithPath: temp))
        } catch {
            files.discard()
            throw OutputError.cannotWrite(path: temp, reason: ErrorText.describe(error))
        }
        try files.commit(overwrite: options.overwrite)
        return (record.outputs, bytes)
    }

    /// Decoding, following and the outputs in three threads joined by short queues, so that the next
    /// frame decodes and the last one is mirrored and encoded while the models run on this one. The
    /// frames reach the sinks in the same order with the same analyses as in the sequential loop, so
    /// the outputs are the same. The first error stops all three and is thrown.
    private func runOverlapped(reader: VideoReader, follower: FaceFollower, timer: StageTimer,
                               emit: @escaping (VideoFrame, FrameAnalysis) throws -> Void) throws {
        // Frames above 1080p (25 MB and more each as BGR) wait one at a time between the threads.
        let depth = reader.info.width * reader.info.height > EncoderSettings.largeFramePixels ? 1 : 3
        let decoded = BoundedQueue<VideoFrame>(capacity: depth)
        let followed = BoundedQueue<(VideoFrame, FrameAnalysis)>(capacity: depth)
        let failure = FirstError()
        let group = DispatchGroup()
        let stop: @Sendable (Error) -> Void = { error in
            failure.set(error)
            decoded.cancel()
            followed.cancel()
        }
        // Each of these is used by one thread only: the reader by the decoding thread, the sinks (behind
        // `emit`) by the writing thread.
        let reading = Unshared(reader), writing = Unshared(emit)
        let decoder = Thread {
            do {
                while let frame = try timer.measure("decode", { try reading.value.next() }) {
                    guard decoded.put(frame) else { break }
                }
                decoded.close()
            } catch { stop(error) }
            group.leave()
        }
        let writer = Thread {
            do {
                while let (frame, analysis) = followed.take() { try writing.value(frame, analysis) }
            } catch { stop(error) }
            group.leave()
        }
        for thread in [decoder, writer] {
            thread.stackSize = 8 << 20
            group.enter()
            thread.start()
        }
        // Following stays on this thread: it is sequential by nature (each frame starts from the last).
        outer: while let frame = decoded.take() {
            for pair in follower.add(frame, timer: timer) where !followed.put(pair) { break outer }
        }
        if failure.error == nil {
            for pair in follower.finish() where !followed.put(pair) { break }
        }
        followed.close()
        group.wait()
        if let error = failure.error { throw error }
    }

    private func run(reader: VideoReader, options: ProcessOptions, context: SinkContext, extraSinks: [FrameSinkFactory],
                     timeline: TimelineInput?, started: UInt64, progress: Progress?) throws -> ProcessSummary {
        let timer = context.timer, info = reader.info
        let auVideo = AUVideoContext(width: info.width, height: info.height, layout: landmarker.layout, timer: timer, tally: context.tally,
                                     logger: logger, parallel: options.threads != 1)
        for method in actionUnits { method.begin(auVideo) }
        var sinks: [FrameSink] = [try LandmarkCSVSink(context: context)]
        sinks += try actionUnits.enumerated().map { k, method in try AUCSVSink(method: method, first: k == 0, context: context) }
        sinks.append(try AsymmetrySink(context: context, mmPerPx: options.mmPerPixel, actionUnits: actionUnits.first?.actionUnits ?? []))
        sinks.append(StillsSink(context: context))
        if timeline != nil { sinks += [try ExamSink(context: context, actionUnits: !actionUnits.isEmpty), ExamStillsSink(context: context)] }
        if options.debugVideo { sinks.append(try DebugVideoSink(context: context)) }
        sinks += [try MirroredVideoSink(.right, context: context), try MirroredVideoSink(.left, context: context)]
        sinks += try extraSinks.map { try $0(context) }
        let follower = FaceFollower(detector: detector, landmarker: landmarker, settings: options.following,
                                    videoName: info.path, logger: logger)
        reader.audio?.writersAreRegistered()

        let mirror = MidlineMirror(seamWidth: options.seamWidth)
        // Head pose as OpenFace 2.2 writes it, where its face model is loaded (with its AUs) and the
        // landmarks have its 68 points.
        let poses = landmarker.layout.count == PointDistributionModel.points
            ? actionUnits.lazy.compactMap { ($0 as? OpenFace2HemifaceAUs)?.openFace2.pdm }.first.map {
                HeadPoseEstimator(pdm: $0, width: info.width, height: info.height)
            } : nil
        var frames = 0, withFace = 0, lastEnd = 0.0
        var absoluteYaw: [Double] = []
        var landmarkQuality = LandmarkQualitySummary()
        var measures = MeasureTrack()
        var lastFit: PDMParameters?
        var warned = Set<String>()
        // The follower may hold frames back (centred smoothing needs the frames after them): each
        // frame is analysed (mirror, measures, AUs) and goes to the sinks when its analysis is known, in order.
        func emit(_ frame: VideoFrame, _ followed: FrameAnalysis) throws {
            var analysis = followed
            var mirrored: MirroredPair?
            if let line = analysis.midline {
                do {
                    mirrored = try timer.measure("mirror") { try mirror.mirror(frame.image, about: line) }
                } catch {
                    analysis = .failed(index: frame.index, time: frame.time, .stageError(stage: "mirror", message: ErrorText.describe(error)))
                }
            }
            if case .failed(let failure) = analysis.status {
                // A stage's error is worth a warning once per kind; every failed frame is counted in the summary.
                let message: Logger.Message = "\(info.path) frame \(frame.index): \(failure)"
                if case .stageError = failure, warned.insert(failure.reason).inserted { logger.warning(message) } else { logger.info(message) }
            }
            context.tally.count(analysis.status)
            let measured = timer.measure("asymmetry") { analysis.landmarks.flatMap(FrameMeasures.init) }
            let pose = poses.flatMap { estimator in analysis.landmarks.flatMap { face in timer.measure("pose") { estimator.pose(face, previous: &lastFit) } } }
            if analysis.landmarks == nil { lastFit = nil }
            measures.add(index: analysis.index, time: analysis.time, measures: measured, poorLandmarks: analysis.quality?.isPoor ?? false,
                         yaw: pose?.yawDegrees ?? analysis.yaw, pitch: pose?.pitchDegrees ?? .nan)
            if analysis.hasFace { landmarkQuality.count(analysis.quality) }
            let analysed = AnalysedFrame(frame: frame, analysis: analysis, mirrored: mirrored, measures: measured, pose: pose)
            for method in actionUnits { method.add(analysed) }
            for sink in sinks { try sink.write(analysed) }
            frames += 1
            lastEnd = frame.time + (info.averageFrameRate.value > 0 ? 1 / info.averageFrameRate.value : 0)
            if analysis.hasFace { withFace += 1 }
            if analysis.yaw.isFinite { absoluteYaw.append(abs(analysis.yaw)) }
            try progress?(frames, info.expectedFrameCount, Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
        }
        switch options.pipeline {
        case .sequential:
            while let frame = try timer.measure("decode", { try reader.next() }) {
                for (f, a) in follower.add(frame, timer: timer) { try emit(f, a) }
            }
            for (f, a) in follower.finish() { try emit(f, a) }
        case .overlapped:
            try runOverlapped(reader: reader, follower: follower, timer: timer, emit: emit)
        }
        // `--au-baseline rest` takes the AUs' neutral from the exam's rest frames: the timeline is then
        // settled before the AUs are finished (found automatically, from the landmarks alone); otherwise
        // after, with the AUs helping to label the movements.
        var reading: ExamReading?
        var neutral: [Int]?
        if options.auBaseline == .rest, let timeline {
            let early = timer.measure("exam") { ExamReading(timeline, measures: measures, actionUnits: nil, duration: lastEnd) }
            let rest = early.restFrames(of: measures)
            if rest.isEmpty {
                logger.warning("\(info.path): --au-baseline rest: the timeline has no rest (BL) frames; OpenFace 2.2's own baseline is used")
            } else {
                neutral = rest
            }
            reading = early
        }
        let tables = try actionUnits.map { try $0.finish(neutralFrames: neutral) }
        if reading == nil, let timeline {
            reading = timer.measure("exam") { ExamReading(timeline, measures: measures, actionUnits: tables.first, duration: lastEnd) }
        }
        let asymmetry = measures.summary(mmPerPx: options.mmPerPixel,
                                         actionUnits: tables.first.map { t in ((0..<t.count).map(t.asymmetryFrame), t.actionUnits) })
        let exam = reading.map { reading in
            timer.measure("exam") {
                reading.analyse(measures: measures, actionUnits: tables.first, duration: lastEnd, video: info.path, logger: logger)
            }
        }
        let results = VideoResults(actionUnits: tables, measures: measures, asymmetry: asymmetry, exam: exam)
        try timer.measure("finish") { for sink in sinks { try sink.finish(results) } }
        if let truncation = reader.truncation {
            logger.warning("\(truncation); kept the \(frames) frames that decoded (--allow-truncated)")
        }
        if let warning = landmarkQuality.warning {
            logger.warning("\(info.path): \(warning)")
        }
        if withFace == 0 {
            // Nothing to mirror: hemiface videos would be the input under misleading names.
            logger.warning("\(info.path): no face in any of its \(frames) frames; the mirrored videos are not written")
            context.files.drop(OutputNames.rightMirrored)
            context.files.drop(OutputNames.leftMirrored)
        }
        let performance = PerformanceReport(
            video: info.path, frames: frames, frameCounts: context.tally.counted,
            wallSeconds: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9, threads: context.threads, timer: timer,
            detectorRuns: follower.detections, detectorRegionRuns: follower.regionDetections,
            provenance: URL(fileURLWithPath: context.files.finalPath(OutputNames.provenance)).lastPathComponent)
        try PerformanceReportWriter.write(performance, files: context.files)
        absoluteYaw.sort()
        let n = absoluteYaw.count
        let medianYaw = n == 0 ? Double.nan : n % 2 == 1 ? absoluteYaw[n / 2] : (absoluteYaw[n / 2 - 1] + absoluteYaw[n / 2]) / 2
        return ProcessSummary(input: info.path, outputs: context.files.finalPaths, frames: frames, framesWithFace: withFace,
                              detections: follower.detections, frameCounts: context.tally.counted, report: performance,
                              frameRate: info.averageFrameRate.value, durationSeconds: lastEnd,
                              medianAbsoluteYaw: medianYaw, framesYawWithin5: absoluteYaw.filter { $0 <= 5 }.count,
                              landmarkQuality: landmarkQuality, asymmetry: asymmetry, exam: exam)
    }
}
