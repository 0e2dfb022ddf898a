import FaceMirrorCore
import FaceModels
import Logging

/// OpenFace 3.0's MTL network on both mirrored hemifaces: its 8 AUs on the face crop of each mirrored
/// picture (both in one run where the model takes a batch), AU45 from the kept eye's opening, and its
/// emotion probabilities and gaze as extra columns.
public final class MTLHemifaceAUs: HemifaceAUMethod {
    /// A hemiface's box that keeps less of its area inside the frame than this is not measured.
    static let minimumInsideShare = 0.5
    public let method = AUMethod.mtl
    public let estimator: MTLEstimator
    public let models: [ModelUse]
    public var name: String { estimator.name }
    public let actionUnits = MTLSpec.actionUnits + ["AU45"]
    public let extraColumns = MTLSpec.emotions.map { "emotion_" + $0.lowercased() } + ["gaze_yaw", "gaze_pitch"]
    public var settings: [String: String] { ["action_units": name] }

    private var video: AUVideoContext?
    private var table: AUTable
    private var blinks: [Hemiface: BlinkEstimator] = [:]

    /// `model`: the file the estimator was loaded from, for the provenance.
    public init(estimator: MTLEstimator, model: ModelUse) {
        self.estimator = estimator
        models = [model]
        table = AUTable(method: .mtl, actionUnits: [], extraColumns: [])
    }

    public func begin(_ video: AUVideoContext) {
        self.video = video
        table = AUTable(method: .mtl, actionUnits: actionUnits, extraColumns: extraColumns)
        blinks = [.right: BlinkEstimator(), .left: BlinkEstimator()]
    }

    public func add(_ f: AnalysedFrame) {
        guard let video else { preconditionFailure("begin(_:) starts a video") }
        let a = f.analysis
        if a.newTrack || !a.hasFace {
            for side in Hemiface.allCases { blinks[side]?.reset() }
        }
        var results: [Hemiface: Result<FaceAnalysis, Failure>] = [:]
        if let mirrored = f.mirrored, a.landmarks != nil, let box = a.box, let midline = a.midline {
            let mirroredBox = box.mirrored(about: midline)
            results = measure(Dictionary(uniqueKeysWithValues: Hemiface.allCases.map { ($0, (image: mirrored[$0], box: mirroredBox)) }),
                              video: video)
        }
        var sides: [Hemiface: AUTable.Side] = [:]
        for side in Hemiface.allCases {
            guard let landmarks = a.landmarks, let result = results[side] else { continue }
            switch result {
            case .success(let analysis):
                let ear = BlinkEstimator.eyeAspectRatio(landmarks, eye: side.keptEye(in: video.layout))
                let blink = blinks[side]!.add(ear: ear)
                sides[side] = AUTable.Side(measured: true, intensities: analysis.actionUnitsRaw.map(MTLSpec.intensity) + [blink],
                                           extras: analysis.emotionProbabilities + [analysis.gaze.yaw, analysis.gaze.pitch])
            case .failure(let failure):
                // This hemiface stays unmeasured on this frame; the video goes on.
                video.logger.info("frame \(a.index), \(side.rawValue) hemiface: no AUs (\(failure.detail))")
                video.tally.countOutputFailure("\(side.rawValue) hemiface AUs: \(failure.reason)")
            }
        }
        table.append(AUTable.Frame(index: a.index, time: a.time, confidence: a.confidence), sides)
    }

    /// MTL's intensities are per frame, with no neutral to take: `neutralFrames` changes nothing.
    public func finish(neutralFrames: [Int]?) throws -> AUTable { table }

    /// Why one hemiface of a frame has no AUs.
    private struct Failure: Error {
        let reason: String
        let detail: String
    }

    /// The network on the hemiface pictures, each box clipped to the frame, in one run where the model
    /// takes a batch. A box mostly outside the frame (a near-horizontal midline puts the mirrored face
    /// far to one side) or a model error fails that hemiface of this frame only: when the joint run
    /// fails, each hemiface is run alone to find which.
    private func measure(_ faces: [Hemiface: (image: Image, box: FaceBox)], video: AUVideoContext) -> [Hemiface: Result<FaceAnalysis, Failure>] {
        var results: [Hemiface: Result<FaceAnalysis, Failure>] = [:]
        var inside: [(side: Hemiface, image: Image, box: FaceBox)] = []
        for side in Hemiface.allCases {
            guard let (picture, box) = faces[side] else { continue }
            let clipped = box.clipped(width: video.width, height: video.height)
            guard box.isFinite, box.area > 0, clipped.area >= MTLHemifaceAUs.minimumInsideShare * box.area else {
                results[side] = .failure(Failure(reason: "face box outside the frame", detail: "\(box) in a \(video.width)x\(video.height) frame"))
                continue
            }
            inside.append((side, picture, clipped))
        }
        if inside.count > 1, let joint = try? estimator.analyse(inside.map { ($0.image, $0.box) }, timer: video.timer), joint.count == inside.count {
            for (face, analysis) in zip(inside, joint) { results[face.side] = .success(analysis) }
            return results
        }
        for face in inside {
            do {
                results[face.side] = .success(try estimator.analyse(face.image, box: face.box, timer: video.timer))
            } catch {
                results[face.side] = .failure(Failure(reason: "\(estimator.name) error", detail: ErrorText.describe(error)))
            }
        }
        return results
    }
}
