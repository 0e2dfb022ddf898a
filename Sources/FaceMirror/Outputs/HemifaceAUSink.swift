import FaceMirrorCore
import MediaBinding

/// The AU pass on both mirrored hemifaces, in the same pass as the mirroring: the AU network on the
/// face crop of each mirrored picture, AU45 from the kept eye, rows to `<stem>_{right,left}_mirrored.csv`
/// and `<stem>_{right,left}_mirrored_extra.csv`.
final class HemifaceAUSink: FrameSink {
    private let estimator: AUEstimator
    private let layout: LandmarkLayout
    private let timer: StageTimer
    private var aus: [Hemiface: AUCSVWriter] = [:]
    private var extras: [Hemiface: ExtraCSVWriter] = [:]
    private var blinks: [Hemiface: BlinkEstimator] = [:]

    init(estimator: AUEstimator, context: SinkContext) throws {
        self.estimator = estimator
        layout = context.layout
        timer = context.timer
        for side in Hemiface.allCases {
            let csv = side == .right ? (OutputNames.rightAUs, OutputNames.rightExtra) : (OutputNames.leftAUs, OutputNames.leftExtra)
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
        for side in Hemiface.allCases {
            var row = HemifaceRow(frame: a.index, timestamp: a.time)
            if let mirrored, let landmarks = a.landmarks, let box = a.box, let midline = a.midline {
                let analysis = try estimator.analyse(mirrored[side], box: HemifaceAUSink.mirroredBox(box, midline: midline), timer: timer)
                let ear = BlinkEstimator.eyeAspectRatio(landmarks, eye: side.keptEye(in: layout))
                row.confidence = a.confidence
                row.success = true
                row.analysis = analysis
                for (name, raw) in zip(MTLSpec.actionUnits, analysis.actionUnitsRaw) { row.intensities[name] = MTLSpec.intensity(raw) }
                row.intensities["AU45"] = blinks[side]?.add(ear: ear)
            }
            rows[side] = row
        }
        try timer.measure("csv") {
            for side in Hemiface.allCases {
                guard let row = rows[side] else { continue }
                try aus[side]?.write(row)
                try extras[side]?.write(row)
            }
        }
    }

    func finish() throws {
        for side in Hemiface.allCases {
            try aus[side]?.close()
            try extras[side]?.close()
        }
    }
}
