import FaceMirrorCore
import Foundation

/// `<stem>_performance.txt` and `.json`: where the time went. Written after every sink has finished,
/// so that their final flush is in the report.
enum PerformanceReportWriter {
    static func write(_ report: PerformanceReport, files: OutputFiles) throws {
        try write(Data(report.text.utf8), to: files.temporaryPath(for: OutputNames.reportText))
        try write(try report.json(), to: files.temporaryPath(for: OutputNames.reportJSON))
    }

    private static func write(_ data: Data, to path: String) throws {
        do {
            try data.write(to: URL(fileURLWithPath: path))
        } catch {
            throw OutputError.cannotWrite(path: path, reason: ErrorText.describe(error))
        }
    }
}
