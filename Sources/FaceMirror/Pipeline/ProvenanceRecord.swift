import FaceMirrorCore
import FileDigest
import Foundation
import MediaBinding
import OrtBinding
import VisionBinding

/// `<stem>_provenance.json`: what made a video's outputs — the build, the command, every option in
/// effect, each model file and library version, the input — and what became of its frames. Written
/// last, after the other outputs are in place: its presence says the set is complete.
public struct ProvenanceRecord: Codable, Sendable {
    public struct Model: Codable, Sendable, Equatable {
        public let role: String
        public let name: String
        public let path: String?
        public let bytes: Int?
        public let sha256: String?
    }

    public struct Input: Codable, Sendable {
        public let path: String
        public let bytes: Int
        public let sha256: String
        public let width: Int
        public let height: Int
        public let sampleAspectRatio: String
        public let turnedClockwiseDegrees: Int
        public let codec: String
        public let timeBase: String
        public let averageFrameRate: String
        public let announcedFrames: Int?
        public let announcedDurationSeconds: Double?
        public let audio: String?
    }

    public struct File: Codable, Sendable {
        public let name: String
        public let bytes: Int
        public let sha256: String
    }

    public let facemirrorVersion: String
    public let commandLine: [String]
    /// Every option in effect, as text.
    public let options: [String: String]
    public let models: [Model]
    public let libraries: [String: String]
    public let input: Input
    public let outputs: [File]
    public let started: String
    public let finished: String
    public let frames: Int
    public let frameCounts: [FrameTally.Count]
    /// Frames with poor landmarks and why (absent in records written before it was measured).
    public let landmarkQuality: LandmarkQualitySummary?

    public func json() throws -> Data { try JSONOutput.encode(self) }

    /// A time as the record writes it: ISO 8601, UTC, milliseconds.
    static func timestamp(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: date)
    }
}

extension ProvenanceRecord {
    /// The record of one processed video: `outputs` are the final paths of its other outputs, in place.
    init(summary: ProcessSummary, reader: VideoReader, options: ProcessOptions, processor: VideoProcessor, outputs: [String],
         started: Date) throws {
        let info = reader.info
        let input = try DigestCache.shared.sha256(info.path)
        let models = try processor.models.map { m in
            let digest = try m.path.map { try DigestCache.shared.sha256($0) }
            return ProvenanceRecord.Model(role: m.role, name: m.name, path: m.path, bytes: digest?.bytes, sha256: digest?.sha256)
        }
        let outputFiles = try outputs.map { path in
            let d = try FileDigest.sha256(ofFile: path)
            let bytes = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
            return ProvenanceRecord.File(name: URL(fileURLWithPath: path).lastPathComponent, bytes: bytes, sha256: d)
        }
        var libraries = MediaLibraries.versions.merging(VisionLibraries.versions) { a, _ in a }
        if processor.session != nil, let ort = try? OrtRuntime.shared() { libraries["onnxruntime"] = ort.version }
        var settings = OutputFingerprint.outputSettings(processor: processor, options: options)
        settings["overwrite"] = "\(options.overwrite)"
        settings["threads"] = "\(options.threads)"
        settings["encoder_threads"] = "\(options.encoder.threads)"
        settings["pipeline"] = options.pipeline.rawValue
        settings["au_baseline"] = options.auBaseline.rawValue
        if let actions = options.actionsFile { settings["actions"] = actions }
        if let session = processor.session { settings["ort_threads"] = "\(session.intraOpThreads)" }
        self.init(
            facemirrorVersion: facemirrorBuildVersion, commandLine: options.commandLine, options: settings, models: models,
            libraries: libraries,
            input: .init(path: info.path, bytes: input.bytes, sha256: input.sha256, width: info.width, height: info.height,
                         sampleAspectRatio: "\(info.sampleAspectRatio.num):\(info.sampleAspectRatio.den)",
                         turnedClockwiseDegrees: info.quarterTurnsClockwise * 90, codec: info.codecName, timeBase: "\(info.timeBase)",
                         averageFrameRate: "\(info.averageFrameRate)", announcedFrames: info.announcedFrameCount,
                         announcedDurationSeconds: info.announcedDuration, audio: reader.audio?.codecName),
            outputs: outputFiles, started: ProvenanceRecord.timestamp(started), finished: ProvenanceRecord.timestamp(Date()),
            frames: summary.frames, frameCounts: summary.frameCounts, landmarkQuality: summary.landmarkQuality)
    }

    /// Whether the completion record beside `path` (`<stem>_provenance.json` of the stem the file's name
    /// starts with, for any of the output suffixes) lists a file with its SHA-256: an output of facemirror's.
    public static func lists(_ path: String) -> Bool {
        let url = URL(fileURLWithPath: path)
        let name = url.lastPathComponent
        guard let suffix = OutputNames.all(debugVideo: true, actionUnits: AUMethod.allCases, extraColumns: true).first(where: name.hasSuffix) else { return false }
        let record = url.deletingLastPathComponent().appendingPathComponent(String(name.dropLast(suffix.count)) + OutputNames.provenance).path
        guard let data = try? RegularFile.contents(of: record, limit: 16 << 20),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let outputs = json["outputs"] as? [[String: Any]], let sha = try? FileDigest.sha256(ofFile: path) else { return false }
        return outputs.contains { $0["sha256"] as? String == sha }
    }

    /// The same record with other outputs (the exam made again from the outputs), finished now.
    func replacingOutputs(_ outputs: [File]) -> ProvenanceRecord {
        ProvenanceRecord(facemirrorVersion: facemirrorVersion, commandLine: commandLine, options: options, models: models, libraries: libraries,
                         input: input, outputs: outputs, started: started, finished: ProvenanceRecord.timestamp(Date()), frames: frames,
                         frameCounts: frameCounts, landmarkQuality: landmarkQuality)
    }
}
