import FaceMirrorCore
import Foundation

/// One AU method's CSVs, written from its table when the video ends: `<stem>_{right,left}_mirrored.csv`
/// for the run's first method (the others' get `_mirrored_<method>.csv`) and, when the method gives
/// columns beside its AUs, `<stem>_{right,left}_mirrored_extra.csv`.
final class AUCSVSink: FrameSink {
    private let method: AUMethod
    private let timer: StageTimer
    private var paths: [Hemiface: String] = [:]
    private var extraPaths: [Hemiface: String] = [:]
    private let extraColumns: [String]

    init(method: HemifaceAUMethod, first: Bool, context: SinkContext) throws {
        self.method = method.method
        timer = context.timer
        extraColumns = method.extraColumns
        for side in Hemiface.allCases {
            paths[side] = context.files.temporaryPath(for: OutputNames.actionUnits(side, method: method.method, first: first))
            if !extraColumns.isEmpty { extraPaths[side] = context.files.temporaryPath(for: OutputNames.extra(side)) }
        }
        // Created now: an unwritable folder fails before the video, not after it.
        for path in paths.values { try AUCSVWriter(path: path).close() }
        for path in extraPaths.values { try ExtraCSVWriter(path: path, extraColumns: extraColumns).close() }
    }

    func write(_ frame: AnalysedFrame) throws {}

    func finish(_ video: VideoResults) throws {
        guard let table = video.actionUnits.first(where: { $0.method == method }) else { return }
        try timer.measure("csv") {
            for side in Hemiface.allCases {
                let writer = try AUCSVWriter(path: paths[side]!)
                try writer.write(table, side: side)
                try writer.close()
                if let path = extraPaths[side] {
                    let extra = try ExtraCSVWriter(path: path, extraColumns: extraColumns)
                    try extra.write(table, side: side)
                    try extra.close()
                }
            }
        }
    }
}
