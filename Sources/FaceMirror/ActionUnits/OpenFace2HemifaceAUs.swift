import Dispatch
import FaceMirrorCore
import FaceModels
import Foundation
import Logging

/// OpenFace 2's 17 AU intensities on both mirrored hemifaces: per frame the PDM fit, aligned face, FHOG
/// and geometry of each hemiface go into its `OpenFace2AUTrack` (17 numbers a frame); `finish` runs the
/// video's post-processing (running medians, neutral shift, smoothing) and returns the intensities.
public final class OpenFace2HemifaceAUs: HemifaceAUMethod {
    public let method = AUMethod.openface2
    public let name = "OpenFace 2"
    public let openFace2: OpenFace2Models
    public let source: HemifaceLandmarkSource
    public var actionUnits: [String] { OpenFace2Models.actionUnits }
    public let extraColumns: [String] = []
    public var settings: [String: String] { ["openface2_aus": "on", "hemiface_landmarks": source.rawValue] }
    /// One role per file: the study's fingerprint keys each model by its role.
    public var models: [ModelUse] {
        openFace2.files.map { path in
            let file = (path as NSString).lastPathComponent
            return ModelUse(role: "OpenFace 2 AUs: \(file)", name: (file as NSString).deletingPathExtension, path: path)
        }
    }
    private let landmarker: LandmarkDetector?
    private var video: AUVideoContext?
    private var tracks: [Hemiface: OpenFace2AUTrack] = [:]
    private var frames: [AUTable.Frame] = []

    /// `landmarker`: the run's landmark model, which `refitted` runs again on each mirrored picture.
    public init(models: OpenFace2Models, source: HemifaceLandmarkSource, landmarker: LandmarkDetector?) {
        precondition(source == .reflected || landmarker != nil, "refitting needs the landmark model")
        openFace2 = models
        self.source = source
        self.landmarker = landmarker
    }

    public func begin(_ video: AUVideoContext) {
        self.video = video
        tracks = [.right: OpenFace2AUTrack(models: openFace2), .left: OpenFace2AUTrack(models: openFace2)]
        frames = []
    }

    public func add(_ f: AnalysedFrame) {
        guard let video else { preconditionFailure("begin(_:) starts a video") }
        let a = f.analysis
        frames.append(AUTable.Frame(index: a.index, time: a.time, confidence: a.confidence))
        var features: [Hemiface: AUFeatures] = [:]
        if let mirrored = f.mirrored, let landmarks = a.landmarks, let midline = a.midline, let box = a.box {
            let points = (0..<landmarks.layout.count).map { landmarks[$0] }
            let job = HemifaceJob(models: openFace2, source: source, landmarker: landmarker, layout: landmarks.layout,
                                  points: points, midline: midline, box: box.mirrored(about: midline), mirrored: mirrored)
            let results = video.timer.measure("openface2 AUs") { job.run(parallel: video.parallel) }
            for side in Hemiface.allCases {
                switch results[side] {
                case .success(let f)?: features[side] = f
                case .failure(let error)?:
                    video.logger.info("frame \(a.index), \(side.rawValue) hemiface: no OpenFace 2 AUs (\(ErrorText.describe(error)))")
                    video.tally.countOutputFailure("\(side.rawValue) hemiface OpenFace 2 AUs: \(ErrorText.describe(error))")
                case nil: break
                }
            }
        }
        for side in Hemiface.allCases { tracks[side]!.add(features[side]) }
    }

    public func finish(neutralFrames: [Int]?) throws -> AUTable {
        guard let video else { preconditionFailure("begin(_:) starts a video") }
        return video.timer.measure("openface2 AUs") {
            let values = Dictionary(uniqueKeysWithValues: Hemiface.allCases.map { ($0, tracks[$0]!.finish(neutralFrames: neutralFrames)) })
            var table = AUTable(method: .openface2, actionUnits: actionUnits)
            for (i, frame) in frames.enumerated() {
                // A hemiface without a face on a frame has NaN for every AU.
                table.append(frame, Dictionary(uniqueKeysWithValues: Hemiface.allCases.map { side in
                    (side, AUTable.Side(measured: !values[side]![i][0].isNaN, intensities: values[side]![i]))
                }))
            }
            return table
        }
    }
}

/// One frame's two hemifaces, measured side by side (two threads unless the run is single-threaded).
private struct HemifaceJob: @unchecked Sendable {
    let models: OpenFace2Models
    let source: HemifaceLandmarkSource
    let landmarker: LandmarkDetector?
    let layout: LandmarkLayout
    let points: [Point]
    let midline: Midline
    let box: FaceBox
    let mirrored: MirroredPair

    func features(_ side: Hemiface) throws -> AUFeatures {
        let own: [Point]
        switch source {
        case .reflected:
            own = HemifaceLandmarks.reflected(points, layout: layout, midline: midline, side: side)
        case .refitted:
            let fitted = try landmarker!.landmarks(in: mirrored[side], box: box, timer: StageTimer())
            own = (0..<fitted.layout.count).map { fitted[$0] }
        }
        return try AUFeatures.extract(mirrored[side], landmarks: HemifaceLandmarks.ibug68(own, layout: layout), models: models)
    }

    func run(parallel: Bool) -> [Hemiface: Result<AUFeatures, Error>] {
        let sides = Hemiface.allCases
        guard parallel else { return Dictionary(uniqueKeysWithValues: sides.map { side in (side, Result { try features(side) }) }) }
        final class Slots: @unchecked Sendable {
            let lock = NSLock()
            var results: [Hemiface: Result<AUFeatures, Error>] = [:]
        }
        let slots = Slots()
        DispatchQueue.concurrentPerform(iterations: sides.count) { k in
            let result = Result { try features(sides[k]) }
            slots.lock.lock(); slots.results[sides[k]] = result; slots.lock.unlock()
        }
        return slots.results
    }
}
