import FaceModels
import FaceMirrorCore
import Logging
import MediaBinding

/// The AU pass on both mirrored hemifaces, in the same pass as the mirroring: the AU network on the
/// face crop of each mirrored picture, AU45 from the kept eye, rows to `<stem>_{right,left}_mirrored.csv`
/// and `<stem>_{right,left}_mirrored_extra.csv`.
final class HemifaceAUSink: FrameSink {
    /// A hemiface's box that keeps less of its area inside the frame than this is not measured.
    static let minimumInsideShare = 0.5
    private let estimator: AUEstimator
    private let layout: LandmarkLayout
    private let timer: StageTimer
    private let tally: FrameTally
    private let logger: Logger
    private let frameSize: (width: Int, height: Int)
    private var aus: [Hemiface: AUCSVWriter] = [:]
    private var extras: [Hemiface: ExtraCSVWriter] = [:]
    private var blinks: [Hemiface: BlinkEstimator] = [:]
    /// Where each frame's intensities go for the asymmetry outputs.
    let recorder = AURecorder(units: MTLSpec.actionUnits + ["AU45"])

    /// `besideOpenFace2`: OpenFace 2's AUs take the 41-column files; this network's go to `_mtl.csv` ones.
    init(estimator: AUEstimator, context: SinkContext, besideOpenFace2: Bool = false) throws {
        self.estimator = estimator
        layout = context.layout
        timer = context.timer
        tally = context.tally
        logger = context.logger
        frameSize = (context.video.width, context.video.height)
        for side in Hemiface.allCases {
            let csv = side == .right ? (besideOpenFace2 ? OutputNames.rightMTL : OutputNames.rightAUs, OutputNames.rightExtra)
                                     : (besideOpenFace2 ? OutputNames.leftMTL : OutputNames.leftAUs, OutputNames.leftExtra)
            aus[side] = try AUCSVWriter(path: context.files.temporaryPath(for: csv.0))
            extras[side] = try ExtraCSVWriter(path: context.files.temporaryPath(for: csv.1))
            blinks[side] = BlinkEstimator()
        }
    }

    /// The face box of a mirrored picture: the same size, centred on the midline at the box's height
    /// (the mirrored face is symmetric about the midline, not about the original box).
    static func mirroredBox(_ box: FaceBox, midline: Midline) -> FaceBox {
        let cy = box.centre.y
        let g = midline.glabella, c = midline.chin
        let cx = abs(c.y - g.y) > 1e-9 ? g.x + (cy - g.y) * (c.x - g.x) / (c.y - g.y) : box.centre.x
        return FaceBox(left: cx - box.width / 2, top: box.top, right: cx + box.width / 2, bottom: box.bottom, score: box.score)
    }

    func write(_ frame: VideoFrame, analysis a: FrameAnalysis, mirrored: MirroredPair?) throws {
        if a.newTrack || !a.hasFace {
            for side in Hemiface.allCases { blinks[side]?.reset() }
        }
        var rows: [Hemiface: HemifaceRow] = [:]
        var results: [Hemiface: Result<FaceAnalysis, Failure>] = [:]
        if let mirrored, a.landmarks != nil, let box = a.box, let midline = a.midline {
            results = measure(Dictionary(uniqueKeysWithValues: Hemiface.allCases.map {
                ($0, (image: mirrored[$0], box: HemifaceAUSink.mirroredBox(box, midline: midline)))
            }))
        }
        for side in Hemiface.allCases {
            var row = HemifaceRow(frame: a.index, timestamp: a.time)
            if let landmarks = a.landmarks, let result = results[side] {
                switch result {
                case .success(let analysis):
                    let ear = BlinkEstimator.eyeAspectRatio(landmarks, eye: side.keptEye(in: layout))
                    row.confidence = a.confidence
                    row.success = true
                    row.analysis = analysis
                    for (name, raw) in zip(MTLSpec.actionUnits, analysis.actionUnitsRaw) { row.intensities[name] = MTLSpec.intensity(raw) }
                    row.intensities["AU45"] = blinks[side]?.add(ear: ear)
                case .failure(let failure):
                    // This hemiface's row stays success=0 with NaN; the video goes on.
                    logger.info("frame \(a.index), \(side.rawValue) hemiface: no AUs (\(failure.detail))")
                    tally.countOutputFailure("\(side.rawValue) hemiface AUs: \(failure.reason)")
                }
            }
            rows[side] = row
        }
        recorder.current = Dictionary(uniqueKeysWithValues: recorder.units.map { unit in
            (unit, (right: rows[.right]?.intensities[unit] ?? .nan, left: rows[.left]?.intensities[unit] ?? .nan))
        })
        try timer.measure("csv") {
            for side in Hemiface.allCases {
                guard let row = rows[side] else { continue }
                try aus[side]?.write(row)
                try extras[side]?.write(row)
            }
        }
    }

    /// Why one hemiface of a frame has no AUs.
    private struct Failure: Error {
        let reason: String
        let detail: String
    }

    /// The AU model on the hemiface pictures, each box clipped to the frame, in one run where the model
    /// takes a batch. A box mostly outside the frame (a near-horizontal midline puts the mirrored face
    /// far to one side) or a model error fails that hemiface of this frame only: when the joint run
    /// fails, each hemiface is run alone to find which.
    private func measure(_ faces: [Hemiface: (image: Image, box: FaceBox)]) -> [Hemiface: Result<FaceAnalysis, Failure>] {
        var results: [Hemiface: Result<FaceAnalysis, Failure>] = [:]
        var inside: [(side: Hemiface, image: Image, box: FaceBox)] = []
        for side in Hemiface.allCases {
            guard let (picture, box) = faces[side] else { continue }
            let clipped = box.clipped(width: frameSize.width, height: frameSize.height)
            guard box.isFinite, box.area > 0, clipped.area >= HemifaceAUSink.minimumInsideShare * box.area else {
                results[side] = .failure(Failure(reason: "face box outside the frame", detail: "\(box) in a \(frameSize.width)x\(frameSize.height) frame"))
                continue
            }
            inside.append((side, picture, clipped))
        }
        if inside.count > 1, let joint = try? estimator.analyse(inside.map { ($0.image, $0.box) }, timer: timer), joint.count == inside.count {
            for (face, analysis) in zip(inside, joint) { results[face.side] = .success(analysis) }
            return results
        }
        for face in inside {
            do {
                results[face.side] = .success(try estimator.analyse(face.image, box: face.box, timer: timer))
            } catch {
                results[face.side] = .failure(Failure(reason: "\(estimator.name) error", detail: ErrorText.describe(error)))
            }
        }
        return results
    }

    func finish() throws {
        for side in Hemiface.allCases {
            try aus[side]?.close()
            try extras[side]?.close()
        }
    }
}
