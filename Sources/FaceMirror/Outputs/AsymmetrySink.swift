import FaceMirrorCore
import Foundation
import MediaBinding

/// `<stem>_asymmetry.csv` (one row per frame, `AsymmetryTable`) and, at the end,
/// `<stem>_asymmetry_summary.json` (`AsymmetrySummary`), from each frame's smoothed landmarks.
/// Per frame it keeps only the measures (a few hundred bytes), not the landmarks or images.
final class AsymmetrySink: FrameSink {
    private let csv: CSVFile
    private let summaryPath: String
    private let timer: StageTimer
    private let mmPerPx: Double?
    private var frames: [(index: Int, measures: FrameMeasures?)] = []
    private let actionUnits: AURecorder?
    private var auFrames: [AUAsymmetry.Frame] = []
    /// Rows held back until the AUs are known, when they come after the video (a few hundred bytes a frame).
    private var heldRows: [[String]] = []
    private(set) var summary: AsymmetrySummary?

    /// `actionUnits`: the AU sink's recorder, when AUs are measured: their columns are added.
    init(context: SinkContext, mmPerPx: Double?, actionUnits: AURecorder?) throws {
        self.actionUnits = actionUnits
        csv = try CSVFile(path: context.files.temporaryPath(for: OutputNames.asymmetry),
                          header: AsymmetryTable.header(millimetres: mmPerPx != nil) + AsymmetryTable.auHeader(actionUnits?.units ?? []))
        summaryPath = context.files.temporaryPath(for: OutputNames.asymmetrySummary)
        timer = context.timer
        self.mmPerPx = mmPerPx
    }

    func write(_ frame: VideoFrame, analysis a: FrameAnalysis, mirrored: MirroredPair?) throws {
        try timer.measure("asymmetry") {
            let measures = a.landmarks.flatMap(FrameMeasures.init)
            frames.append((a.index, measures))
            var values = AsymmetryTable.values(measures, mmPerPx: mmPerPx)
            let row = ["\(a.index)", CSVFile.number(a.time, 6), measures == nil ? "0" : "1"]
            if let actionUnits, actionUnits.deferred {
                heldRows.append(row + values.map { CSVFile.number($0, 5) })
                return
            }
            if let actionUnits {
                auFrames.append(actionUnits.current)
                values += AsymmetryTable.auValues(actionUnits.current, units: actionUnits.units)
            }
            try csv.write(row + values.map { CSVFile.number($0, 5) })
        }
    }

    func finish() throws {
        if let actionUnits, actionUnits.deferred {
            let final = actionUnits.final ?? []
            for (i, row) in heldRows.enumerated() {
                let frame = i < final.count ? final[i] : [:]
                auFrames.append(frame)
                try csv.write(row + AsymmetryTable.auValues(frame, units: actionUnits.units).map { CSVFile.number($0, 5) })
            }
            heldRows = []
        }
        try csv.close()
        var summary = AsymmetrySummary(frames: frames, mmPerPx: mmPerPx)
        if let actionUnits {
            let au = AUAsymmetry.summaries(auFrames, units: actionUnits.units)
            summary.actionUnits = au.units
            summary.actionUnitZones = au.zones
        }
        self.summary = summary
        do {
            try summary.json.write(to: URL(fileURLWithPath: summaryPath))
        } catch {
            throw OutputError.cannotWrite(path: summaryPath, reason: ErrorText.describe(error))
        }
    }
}
