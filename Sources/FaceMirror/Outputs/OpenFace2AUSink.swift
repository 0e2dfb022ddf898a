import FaceModels
import Dispatch
import Foundation
import FaceMirrorCore
import Logging
import MediaBinding

/// Where each mirrored hemiface's 68 landmarks come from.
public enum HemifaceLandmarkSource: String, Sendable, CaseIterable {
    /// The frame's landmarks, the kept half's reflected onto the other (no model run).
    case reflected
    /// The landmark model fitted again on the mirrored picture, in the mirrored face box.
    case refitted

    public static let defaultChoice = HemifaceLandmarkSource.reflected
}

/// OpenFace 2's 17 AU intensities on both mirrored hemifaces, in the same pass as the mirroring:
/// per frame the PDM fit, aligned face, FHOG and geometry of each hemiface go into its `OpenFace2AUTrack`
/// (17 numbers a frame); at the end the video's post-processing gives the intensities, written as
/// `<stem>_{right,left}_mirrored.csv` (the 41-column layout; AU16 NaN) and handed to the asymmetry outputs.
final class OpenFace2AUSink: FrameSink {
    private let models: OpenFace2Models
    private let source: HemifaceLandmarkSource
    private let landmarker: LandmarkDetector?
    private let layout: LandmarkLayout
    private let parallel: Bool
    private let timer: StageTimer
    private let tally: FrameTally
    private let logger: Logger
    private let paths: [Hemiface: String]
    private var tracks: [Hemiface: OpenFace2AUTrack]
    private var rows: [(frame: Int, time: Double, confidence: Double)] = []
    let recorder = AURecorder(units: OpenFace2Models.actionUnits, deferred: true)

    init(models: OpenFace2Models, source: HemifaceLandmarkSource, landmarker: LandmarkDetector?, context: SinkContext) throws {
        precondition(source == .reflected || landmarker != nil, "refitting needs the landmark model")
        self.models = models
        self.source = source
        self.landmarker = landmarker
        layout = context.layout
        parallel = context.threads != 1
        timer = context.timer
        tally = context.tally
        logger = context.logger
        paths = [.right: context.files.temporaryPath(for: OutputNames.rightAUs), .left: context.files.temporaryPath(for: OutputNames.leftAUs)]
        tracks = [.right: OpenFace2AUTrack(models: models), .left: OpenFace2AUTrack(models: models)]
        // Fail early on an unwritable folder, not after the whole video.
        for path in paths.values { try AUCSVWriter(path: path).close() }
    }

    func write(_ frame: VideoFrame, analysis a: FrameAnalysis, mirrored: MirroredPair?) throws {
        rows.append((a.index, a.time, a.confidence))
        var features: [Hemiface: AUFeatures] = [:]
        if let mirrored, let landmarks = a.landmarks, let midline = a.midline, let box = a.box {
            let points = (0..<landmarks.layout.count).map { landmarks[$0] }
            let job = HemifaceJob(models: models, source: source, landmarker: landmarker, layout: landmarks.layout,
                                  points: points, midline: midline, box: HemifaceAUSink.mirroredBox(box, midline: midline), mirrored: mirrored)
            let results = timer.measure("openface2 AUs") { job.run(parallel: parallel) }
            for side in Hemiface.allCases {
                switch results[side] {
                case .success(let f)?: features[side] = f
                case .failure(let error)?:
                    logger.info("frame \(a.index), \(side.rawValue) hemiface: no OpenFace 2 AUs (\(ErrorText.describe(error)))")
                    tally.countOutputFailure("\(side.rawValue) hemiface OpenFace 2 AUs: \(ErrorText.describe(error))")
                case nil: break
                }
            }
        }
        for side in Hemiface.allCases { tracks[side]!.add(features[side]) }
    }

    func finish() throws {
        var final: [Hemiface: [[Double]]] = [:]
        try timer.measure("openface2 AUs") {
            for side in Hemiface.allCases {
                let values = tracks[side]!.finish()
                final[side] = values
                let writer = try AUCSVWriter(path: paths[side]!)
                for (i, r) in rows.enumerated() {
                    var row = HemifaceRow(frame: r.frame, timestamp: r.time)
                    row.success = !values[i][0].isNaN
                    row.confidence = row.success ? r.confidence : .nan
                    for (a, au) in OpenFace2Models.actionUnits.enumerated() { row.intensities[au] = values[i][a] }
                    try writer.write(row)
                }
                try writer.close()
            }
        }
        recorder.final = rows.indices.map { i in
            Dictionary(uniqueKeysWithValues: OpenFace2Models.actionUnits.enumerated().map { a, au in
                (au, (right: final[.right]![i][a], left: final[.left]![i][a]))
            })
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
