import FaceMirrorCore
import Foundation

/// `<stem>_asymmetry.csv` (one row per frame, `AsymmetryTable`, with the first AU method's columns when
/// AUs are measured) and `<stem>_asymmetry_summary.json` (`AsymmetrySummary`), written when the video
/// ends from the measures and AU table the analysis kept.
final class AsymmetrySink: FrameSink {
    private let csvPath: String
    private let summaryPath: String
    private let timer: StageTimer
    private let mmPerPx: Double?
    private let actionUnits: [String]

    /// `actionUnits`: the first AU method's AUs (none when the run measures none), for the header.
    init(context: SinkContext, mmPerPx: Double?, actionUnits: [String]) throws {
        csvPath = context.files.temporaryPath(for: OutputNames.asymmetry)
        summaryPath = context.files.temporaryPath(for: OutputNames.asymmetrySummary)
        timer = context.timer
        self.mmPerPx = mmPerPx
        self.actionUnits = actionUnits
        // Created now: an unwritable folder fails before the video, not after it.
        try CSVFile(path: csvPath, header: []).close()
    }

    func write(_ frame: AnalysedFrame) throws {}

    func finish(_ video: VideoResults) throws {
        let table = video.actionUnits.first
        try timer.measure("asymmetry") {
            let csv = try CSVFile(path: csvPath, header: AsymmetryTable.header(millimetres: mmPerPx != nil) + AsymmetryTable.auHeader(actionUnits))
            for (i, f) in video.measures.frames.enumerated() {
                var values = AsymmetryTable.values(f.measures, mmPerPx: mmPerPx)
                if let table { values += AsymmetryTable.auValues(table.asymmetryFrame(i), units: table.actionUnits) }
                try csv.write(["\(f.index)", CSVFile.number(f.time, 6), f.measures == nil ? "0" : "1"] + values.map { CSVFile.number($0, 5) })
            }
            try csv.close()
        }
        do {
            try JSONOutput.write(video.asymmetry, to: summaryPath)
        } catch {
            throw OutputError.cannotWrite(path: summaryPath, reason: ErrorText.describe(error))
        }
    }
}
