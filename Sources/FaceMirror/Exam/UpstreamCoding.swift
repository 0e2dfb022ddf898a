import FaceMirrorCore
import Foundation

/// An upstream action-coded CSV (`<stem>_left_mirrored_coded.csv` or `_right_`, as the upstream coding
/// tool writes them): one row per frame in order, with an `action` column holding the frame's movement
/// code, blank where it was not coded.
public struct UpstreamCoding: Sendable {
    public let path: String
    /// Each row's code, in order (nil: not coded).
    public let codes: [ExamAction?]

    /// Reads the file; a missing `action` column or an unknown code is an error naming the file and line.
    public init(path file: String) throws {
        let table: CSVTable
        do {
            table = try CSVTable(path: file)
        } catch {
            throw ActionCodingError(path: file, line: nil, problem: "\(error)".replacingOccurrences(of: "\(file): ", with: ""))
        }
        guard table.has("action") else {
            throw ActionCodingError(path: file, line: 1, problem: "no action column in the header; not an action-coded CSV")
        }
        codes = try table.text("action").enumerated().map { row, text in
            let code = text.trimmingCharacters(in: CharacterSet(charactersIn: " \"\r"))
            if code.isEmpty { return nil }
            guard let action = ExamAction(code: code) else {
                throw ActionCodingError(path: file, line: row + 2, problem: "unknown movement code '\(code)' (codes: \(ExamAction.codes))")
            }
            return action
        }
        path = file
    }

    /// The runs of one code as segments of a video whose frame k is shown at `frameTimes[k]`; rows
    /// beyond the video's frames are left out, with a warning.
    public func timed(frameTimes: [Double], duration: Double) -> (segments: [ActionSegment], warnings: [String]) {
        var warnings: [String] = []
        if codes.count != frameTimes.count {
            warnings.append("\(path): \(codes.count) rows for a video of \(frameTimes.count) frames; row k is taken as frame k"
                            + (codes.count > frameTimes.count ? ", the rows after the last frame left out" : ""))
        }
        var segments: [ActionSegment] = []
        var k = 0
        let n = min(codes.count, frameTimes.count)
        while k < n {
            guard let code = codes[k] else { k += 1; continue }
            var last = k
            while last + 1 < n, codes[last + 1] == code { last += 1 }
            let end = last + 1 < frameTimes.count ? frameTimes[last + 1] : duration
            segments.append(ActionSegment(action: code, start: frameTimes[k], end: end, source: .upstreamCSV))
            k = last + 1
        }
        return (segments, warnings)
    }
}
