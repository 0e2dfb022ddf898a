import Foundation
import Logging

/// Settings of one `process` run.
public struct ProcessOptions: Sendable {
    public var outputDirectory: URL
    public var debugVideo = true
    public var overwrite = false
    /// Threads for decoding and encoding (0 = the libraries decide).
    public var threads = 0
    public var encoder = EncoderSettings()
    public var seamWidth = 6.0
    public var smoothingWindow = 5
    /// Detect on every frame, no tracking, no smoothing: each frame's results are what the
    /// reference code computes for that frame alone.
    public var raw = false

    public init(outputDirectory: URL) { self.outputDirectory = outputDirectory }
}

/// What processing one video produced.
public struct ProcessSummary: Sendable {
    public let input: String
    public let outputs: [String]
    public let frames: Int
    public let framesWithFace: Int
    public let detections: Int
    public let report: PerformanceReport
}

/// The output names of one input, as the seed system's downstream analysis expects them.
public enum OutputNames {
    public static let rightMirrored = "_right_mirrored.mp4"
    public static let leftMirrored = "_left_mirrored.mp4"
    public static let debug = "_debug.mp4"
    public static let landmarks = "_landmarks.csv"
    public static let reportText = "_performance.txt"
    public static let reportJSON = "_performance.json"
    public static let rightAUs = "_right_mirrored.csv"
    public static let leftAUs = "_left_mirrored.csv"
    public static let rightExtra = "_right_mirrored_extra.csv"
    public static let leftExtra = "_left_mirrored_extra.csv"

    public static func all(debugVideo: Bool, actionUnits: Bool = false) -> [String] {
        [rightMirrored, leftMirrored] + (debugVideo ? [debug] : []) + [landmarks]
            + (actionUnits ? [rightAUs, leftAUs, rightExtra, leftExtra] : []) + [reportText, reportJSON]
    }

    /// File name without folder and extension.
    public static func stem(of path: String) -> String {
        URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
    }
}

/// Runs the mirroring pipeline on one video: decode → track face → smooth landmarks → mirror →
/// draw → encode the three videos, writing the landmark CSV and the performance report.
public final class VideoProcessor {
    public typealias Progress = (_ framesDone: Int, _ framesExpected: Int?, _ elapsed: Double) -> Void

    private let detector: FaceDetector
    private let landmarker: LandmarkDetector
    private let mirror: Mirror
    private let auEstimator: AUEstimator?
    private let logger: Logger

    public init(detector: FaceDetector, landmarker: LandmarkDetector, mirror: Mirror, auEstimator: AUEstimator? = nil,
                logger: Logger) {
        self.detector = detector
        self.landmarker = landmarker
        self.mirror = mirror
        self.auEstimator = auEstimator
        self.logger = logger
    }

    /// What the processor writes for each input.
    public func outputSuffixes(debugVideo: Bool) -> [String] {
        OutputNames.all(debugVideo: debugVideo, actionUnits: auEstimator != nil)
    }

    /// The default stack: dlib HOG detector, dlib 68-point landmarks, midline mirror.
    public static func dlibDefault(seamWidth: Double = 6, logger: Logger) throws -> VideoProcessor {
        VideoProcessor(detector: try DlibFaceDetector(), landmarker: try DlibLandmarkDetector(),
                       mirror: MidlineMirror(seamWidth: seamWidth), logger: logger)
    }

    /// Final output paths that already exist for `input`.
    public func existingOutputs(for input: String, options: ProcessOptions) -> [String] {
        let files = OutputFiles(directory: options.outputDirectory, stem: OutputNames.stem(of: input))
        return outputSuffixes(debugVideo: options.debugVideo).map(files.finalPath).filter {
            FileManager.default.fileExists(atPath: $0)
        }
    }

    public func process(_ input: String, options: ProcessOptions, progress: Progress? = nil) throws -> ProcessSummary {
        if !options.overwrite {
            let existing = existingOutputs(for: input, options: options)
            if !existing.isEmpty { throw FaceMirrorError.outputsExist(paths: existing) }
        }
        let timer = StageTimer()
        let started = DispatchTime.now().uptimeNanoseconds
        let reader = try VideoReader(path: input, threads: options.threads)
        let info = reader.info
        let frameCount = info.announcedFrameCount.map(String.init) ?? "unknown"
        logger.info("\(input): \(info.width)x\(info.height) \(info.codecName), time base \(info.timeBase), \(frameCount) frames, turned \(info.quarterTurnsClockwise * 90)° clockwise")

        let files = OutputFiles(directory: options.outputDirectory, stem: OutputNames.stem(of: input))
        do {
            let summary = try run(reader: reader, files: files, options: options, timer: timer, started: started, progress: progress)
            try files.commit()
            return summary
        } catch {
            files.discard()
            throw error
        }
    }

    private func run(reader: VideoReader, files: OutputFiles, options: ProcessOptions, timer: StageTimer,
                     started: UInt64, progress: Progress?) throws -> ProcessSummary {
        let info = reader.info
        let fps = info.averageFrameRate.num > 0 ? info.averageFrameRate : nil
        func makeWriter(_ suffix: String) throws -> VideoWriter {
            let w = try VideoWriter(path: files.temporaryPath(for: suffix), width: info.width, height: info.height,
                                    timeBase: info.timeBase, frameRate: fps, audioSource: info.hasAudio ? info.path : nil,
                                    settings: options.encoder)
            if let reason = w.audioSkippedReason { logger.warning("\(info.path): \(reason); \(suffix) has no audio") }
            return w
        }
        for case let stage as SelfTimedStage in [detector as Any, landmarker, auEstimator as Any] { stage.timer = timer }
        defer { for case let stage as SelfTimedStage in [detector as Any, landmarker, auEstimator as Any] { stage.timer = nil } }

        let right = try makeWriter(OutputNames.rightMirrored)
        let left = try makeWriter(OutputNames.leftMirrored)
        let debug = options.debugVideo ? try makeWriter(OutputNames.debug) : nil
        let csv = try LandmarkCSVWriter(path: files.temporaryPath(for: OutputNames.landmarks), layout: landmarker.layout)
        let hemifaces = try auEstimator.map { _ in
            try HemifaceOutputs(files: files, layout: landmarker.layout)
        }
        let tracker = FaceTracker(detector: detector, landmarker: landmarker, timer: timer)
        var smoother = LandmarkSmoother(window: options.raw ? 1 : options.smoothingWindow)
        let renderer = DebugRenderer()
        var frames = 0, withFace = 0, lastFaceCount = 1, warnedManyFaces = false

        while true {
            guard let frame = try timer.measure("decode", { try reader.next() }) else { break }
            if options.raw { tracker.reset() }
            let found = try tracker.next(frame.image)
            var row = LandmarkRow(frame: frame.index, faceID: 0, timestamp: frame.time, confidence: .nan,
                                  success: false, landmarks: nil, yaw: .nan)
            var mirrored: (right: Image, left: Image)? = nil
            var smoothed: FaceLandmarks? = nil
            if let found {
                if found.detected {
                    smoother.reset()
                    hemifaces?.resetSmoothing()
                    if found.facesFound > 1 && found.facesFound != lastFaceCount {
                        // Worth a warning the first time: the user may not expect anyone else in the picture.
                        let message: Logger.Message = "\(info.path) frame \(frame.index): \(found.facesFound) faces found, following the largest"
                        if warnedManyFaces { logger.info(message) } else { logger.warning(message) }
                        warnedManyFaces = true
                    }
                    lastFaceCount = found.facesFound
                }
                let lm = timer.measure("smooth") { smoother.add(found.landmarks) }
                smoothed = lm
                row.confidence = found.confidence
                row.success = true
                row.landmarks = lm
                row.yaw = HeadYaw.degrees(lm)
                mirrored = try timer.measure("mirror") { try mirror.mirror(frame.image, about: lm.midline) }
                withFace += 1
            } else {
                smoother.reset()
                hemifaces?.resetSmoothing()
            }
            try timer.measure("csv") { try csv.write(row) }
            if let hemifaces, let auEstimator {
                try hemifaces.write(frame: frame, mirrored: mirrored, landmarks: smoothed, box: found?.box,
                                    confidence: row.confidence, estimator: auEstimator, timer: timer)
            }
            if let debug {
                let pic = try timer.measure("draw") {
                    try renderer.render(frame.image, box: found?.box, landmarks: smoothed, yaw: row.yaw, detected: found?.detected ?? false)
                }
                try timer.measure("encode_debug") { try debug.write(pic, pts: frame.pts, duration: frame.duration) }
            }
            // No face: the frame is written as it is.
            try timer.measure("encode_right") { try right.write(mirrored?.right ?? frame.image, pts: frame.pts, duration: frame.duration) }
            try timer.measure("encode_left") { try left.write(mirrored?.left ?? frame.image, pts: frame.pts, duration: frame.duration) }
            frames += 1
            progress?(frames, info.announcedFrameCount, elapsed(since: started))
        }
        try timer.measure("finish") {
            try right.finish()
            try left.finish()
            try debug?.finish()
            try csv.close()
            try hemifaces?.close()
        }
        let wall = elapsed(since: started)
        let report = PerformanceReport(video: info.path, frames: frames, wallSeconds: wall, threads: options.threads, timer: timer)
        try write(report.text, to: files.temporaryPath(for: OutputNames.reportText))
        try write(String(decoding: report.json, as: UTF8.self) + "\n", to: files.temporaryPath(for: OutputNames.reportJSON))
        return ProcessSummary(input: info.path, outputs: outputSuffixes(debugVideo: options.debugVideo).map(files.finalPath),
                              frames: frames, framesWithFace: withFace, detections: tracker.detections, report: report)
    }

    private func write(_ text: String, to path: String) throws {
        do {
            try text.write(toFile: path, atomically: false, encoding: .utf8)
        } catch {
            throw FaceMirrorError.cannotWrite(path: path, reason: error.localizedDescription)
        }
    }

    private func elapsed(since start: UInt64) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}
