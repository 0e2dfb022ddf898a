import FaceMirrorCore
import Foundation
import GRDB

/// Where a video of a study stands.
public enum VideoStatus: String, Codable, CaseIterable, Sendable, DatabaseValueConvertible {
    /// Found, not yet started (or its last run was interrupted before it ended).
    case queued
    /// Claimed by a process (the row says which, on which machine).
    case running
    /// Processed: its outputs are in place.
    case done
    /// Could not be processed; `reason` says why.
    case failed
    /// Processed, but no frame had a face: the mirrored videos are not written.
    case noFace = "no-face"

    /// The word every front end shows for it (the run's summary, the JSON log, `study status`, the
    /// index); `rawValue` is what the state file and `study_summary.csv` keep.
    public var label: String { self == .noFace ? "no face" : rawValue }
}

/// One video of a study, a row of the state database: what it is (path, size, time, SHA-256), where it
/// stands, who works on it, and once processed what it produced and with which settings.
public struct VideoRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "video"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    /// The video's path relative to the folder given (its file name when given directly): the key,
    /// and where below the output folder its outputs go.
    public var path: String
    /// The path as found on the command line's folders.
    public var source: String
    public var bytes: Int64
    /// Modification time, seconds since 1970.
    public var modified: Double
    /// SHA-256 of the input, recorded when it was last processed.
    public var sha256: String?
    public var status: VideoStatus
    /// Why it failed, or what became of it.
    public var reason: String?
    /// How many times a process has started on it.
    public var attempts: Int
    /// The process working on it (or that last did): machine, PID, and the PID's start time (so that a
    /// reused PID does not pass for it).
    public var host: String?
    public var pid: Int?
    public var processStart: Int64?
    /// When its process last said it was alive, seconds since 1970.
    public var heartbeat: Double?
    public var started: String?
    public var finished: String?
    /// `OutputFingerprint.digest` of the settings its outputs were made with.
    public var fingerprint: String?
    /// `OutputFingerprint.digest` of the settings the process that claimed it last runs with: while it
    /// is running, another run with other settings leaves the study alone.
    public var claimFingerprint: String?
    /// Its outputs (paths relative to the output folder) with size and SHA-256, as JSON.
    public var outputs: String?
    /// Where its exam's timeline came from when its outputs were made (`TimelineInput.sourceKey`): a
    /// coding file that appears or changes later redoes only the exam.
    public var examSource: String?
    // What the study summary reports of it.
    public var frames: Int?
    public var durationSeconds: Double?
    public var frameRate: Double?
    public var framesWithFace: Int?
    public var detectorRuns: Int?
    public var medianAbsYaw: Double?
    public var framesYawWithin5: Int?
    public var processingFps: Double?
    /// Frames whose landmarks are poor, and why ("mouth covered 48, head turned 2"; `LandmarkQualitySummary`).
    public var framesPoorLandmarks: Int?
    public var poorLandmarks: String?
    /// Median landmark asymmetry index per zone and overall (`AsymmetrySummary`).
    public var browIndex: Double?
    public var eyeIndex: Double?
    public var midfaceIndex: Double?
    public var mouthIndex: Double?
    public var overallIndex: Double?

    public init(path: String, source: String, bytes: Int64, modified: Double) {
        self.path = path
        self.source = source
        self.bytes = bytes
        self.modified = modified
        status = .queued
        attempts = 0
    }

    /// The recorded outputs whose paths stay inside the output folder (`ContainedPath`); the state file is
    /// input like any other, and an entry such as `../../x` is never acted on.
    public var outputFiles: [OutputFile] { recordedOutputs.filter { ContainedPath.relative($0.path) != nil } }

    /// Recorded outputs whose paths would leave the output folder: reported, never touched.
    public var outputsOutside: [String] { recordedOutputs.map(\.path).filter { ContainedPath.relative($0) == nil } }

    private var recordedOutputs: [OutputFile] {
        guard let outputs, let list = try? JSONDecoder().decode([OutputFile].self, from: Data(outputs.utf8)) else { return [] }
        return list
    }

    /// Its path, when it stays inside the study's folders (`ContainedPath`); nil for a row that names a
    /// place outside, which reports and reruns leave alone.
    public var containedPath: String? { ContainedPath.relative(path) }
}

/// One output of a video as the state records it.
public struct OutputFile: Codable, Sendable, Equatable {
    /// Relative to the output folder.
    public let path: String
    public let bytes: Int
    public let sha256: String
}
