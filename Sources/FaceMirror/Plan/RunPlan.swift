import FaceMirrorCore
import FaceModels
import FileDigest
import Foundation
import Logging
import ModelStore

/// A validated run: the request's model names looked up (files, or names in the model store), the
/// model folder read, the AU methods chosen, the threads divided among the jobs, and the outputs each
/// video gets. Every front end makes its run this way; none repeats these rules.
public struct RunPlan: Sendable {
    public let request: RunRequest
    /// The models, resolved to files.
    public let stack: ModelStack
    /// The per-video settings, threads resolved.
    public let options: ProcessOptions
    /// Things the user should know about the choices made for them (one line each).
    public let notes: [String]

    /// `store`: where model names and OpenFace 2's installed models are looked up (nil: nowhere).
    public init(_ request: RunRequest, store: ModelStore?) throws {
        try request.validate()
        self.request = request
        var notes: [String] = []

        // Files win over store names; a store name brings the earlier file `model install` kept.
        func modelFile(_ argument: String?) throws -> ModelFile? {
            guard let argument else { return nil }
            guard let store, !FileManager.default.fileExists(atPath: argument), store.contains(argument) else { return ModelFile(path: argument) }
            let files = try store.files(of: argument)
            return ModelFile(path: files.path, fallback: files.backup)
        }
        var detector = try modelFile(request.detector), landmarks = try modelFile(request.landmarks), au = try modelFile(request.auModel)
        if let dir = request.modelsDirectory {
            let found = try ModelFolder.contents(of: dir)
            detector = detector ?? found.detector.map { ModelFile(path: $0) }
            landmarks = landmarks ?? found.landmarks.map { ModelFile(path: $0) }
            au = au ?? found.au.map { ModelFile(path: $0) }
            if detector == nil || landmarks == nil {
                throw ModelError.notFound(path: dir, hint: "the folder lacks \(ModelFolder.missing(detector: detector == nil, landmarks: landmarks == nil)) (or give --detector / --landmarks)")
            }
        }

        // Action units: as asked, or by default OpenFace 2's once installed and MTL's when a model for it is given.
        let asked = Set(request.actionUnits.compactMap(\.method))
        let automatic = request.actionUnits.isEmpty
        if asked.contains(.mtl) && au == nil {
            throw RunPlanError.invalidOptions("--au mtl: \(request.modelsDirectory ?? "the models folder") has no MTL model (\(ModelFolder.auFile) or \(ModelFolder.plainNames.au)); give --au-model FILE")
        }
        let mtl = automatic || asked.contains(.mtl) ? au : nil
        var openFace2: String?
        if asked.contains(.openface2) || automatic {
            if let dir = request.openFace2Directory {
                openFace2 = dir
            } else if let installed = store?.openFace2Directory.path, FileManager.default.fileExists(atPath: installed) {
                openFace2 = installed
            } else if asked.contains(.openface2) {
                throw RunPlanError.notInstalled("--au openface2: OpenFace 2's AU models are not installed; run `facemirror model fetch openface2-au --accept-licence` (or give --openface2 DIR)")
            } else if mtl == nil {
                notes.append("no action units: OpenFace 2's AU models are not installed (facemirror model fetch openface2-au --accept-licence)")
            }
        }

        // Several jobs share the cores: each gets its part unless the user said how many threads.
        var options = request.options
        let share = request.jobs > 1 ? max(1, ProcessInfo.processInfo.activeProcessorCount / request.jobs) : 0
        if options.threads == 0 { options.threads = share }
        options.encoder.threads = options.threads
        var session = request.session
        if session.intraOpThreads == 0 { session.intraOpThreads = share }

        stack = ModelStack(detector: detector, landmarks: landmarks, landmarksKind: request.landmarksKind, mtl: mtl,
                           dlibLandmarks: request.dlibLandmarks ?? DlibLandmarkDetector.defaultModelPath, session: session,
                           openFace2Directory: openFace2, hemifaceLandmarks: request.hemifaceLandmarks ?? .defaultChoice)
        self.options = options
        self.notes = notes
    }

    /// The AU methods the run measures, its first (whose AUs take the main CSVs) first.
    public var actionUnits: [AUMethod] { stack.actionUnits }

    /// What each video gets, by suffix after its stem.
    public var outputSuffixes: [String] {
        OutputNames.all(debugVideo: options.debugVideo, actionUnits: actionUnits, extraColumns: actionUnits.contains(.mtl))
    }

    /// Every model file the run reads, with its role and SHA-256 (each file hashed once per process).
    public func modelDigests() throws -> [(role: String, path: String, sha256: String)] {
        try stack.files.map { ($0.role, $0.path, try DigestCache.shared.sha256($0.path).sha256) }
    }

    /// One processor per job (a processor works on one video at a time; dlib's detector is not shared).
    public func makeProcessors(logger: Logger) throws -> [VideoProcessor] {
        try (0..<request.jobs).map { _ in try stack.load(logger: logger) }
    }

    /// One processor (a single job, a benchmark).
    public func makeProcessor(logger: Logger) throws -> VideoProcessor { try stack.load(logger: logger) }
}
