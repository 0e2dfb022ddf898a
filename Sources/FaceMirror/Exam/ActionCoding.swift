import FaceMirrorCore
import Foundation

/// A person's coding of an exam: a CSV of segments, one per line, `action,start,end` in seconds of the
/// video, or `action,start_frame,end_frame` in frame numbers (the end frame included). The header line
/// says which. Codes are `ExamAction`'s; segments may come in any order but may not overlap.
public struct ActionCoding: Sendable, Equatable {
    public enum Unit: Sendable, Equatable { case seconds, frames }

    public let path: String
    public let unit: Unit
    /// The segments as written, sorted by start; frame numbers are still frame numbers (`timed`).
    public let rows: [(action: ExamAction, start: Double, end: Double, line: Int)]

    public static func == (a: ActionCoding, b: ActionCoding) -> Bool {
        a.path == b.path && a.unit == b.unit && a.rows.elementsEqual(b.rows) { $0.action == $1.action && $0.start == $1.start && $0.end == $1.end }
    }

    /// Reads and checks the file: every error names the file, the line and the value.
    public init(path file: String) throws {
        let unit: Unit
        let data: Data
        do {
            data = try RegularFile.contents(of: file, limit: 16 << 20)
        } catch let error as RegularFileError {
            throw ActionCodingError(path: file, line: nil, problem: error.reason)
        }
        guard let text = String(data: data, encoding: .utf8) else { throw ActionCodingError(path: file, line: nil, problem: "not UTF-8 text") }
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated()
            .map { (number: $0.offset + 1, fields: $0.element.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }) }
            .filter { !($0.fields.count == 1 && $0.fields[0].isEmpty) }
        guard let header = lines.first else { throw ActionCodingError(path: file, line: nil, problem: "empty; expected a header line action,start,end") }
        lines.removeFirst()
        switch header.fields.map({ $0.lowercased() }) {
        case ["action", "start", "end"]: unit = .seconds
        case ["action", "start_frame", "end_frame"]: unit = .frames
        default:
            throw ActionCodingError(path: file, line: header.number,
                                    problem: "header '\(header.fields.joined(separator: ","))'; expected action,start,end (seconds) or action,start_frame,end_frame (frames)")
        }
        var found: [(action: ExamAction, start: Double, end: Double, line: Int)] = []
        for (number, fields) in lines {
            guard fields.count == 3 else {
                throw ActionCodingError(path: file, line: number, problem: "\(fields.count) fields '\(fields.joined(separator: ","))'; expected action,start,end")
            }
            guard let action = ExamAction(code: fields[0]) else {
                throw ActionCodingError(path: file, line: number, problem: "unknown movement code '\(fields[0])' (codes: \(ExamAction.codes))")
            }
            func value(_ k: Int, _ what: String) throws -> Double {
                guard let v = Double(fields[k]), v.isFinite, v >= 0, unit == .seconds || v == v.rounded() else {
                    throw ActionCodingError(path: file, line: number,
                                            problem: "\(what) '\(fields[k])' is not \(unit == .seconds ? "a number of seconds" : "a frame number") (0 or more)")
                }
                return v
            }
            let start = try value(1, unit == .seconds ? "start" : "start_frame"), end = try value(2, unit == .seconds ? "end" : "end_frame")
            guard unit == .frames ? end >= start : end > start else {
                throw ActionCodingError(path: file, line: number, problem: "the segment ends (\(fields[2])) before it starts (\(fields[1]))")
            }
            found.append((action, start, end, number))
        }
        guard !found.isEmpty else { throw ActionCodingError(path: file, line: nil, problem: "no segments below the header") }
        found.sort { $0.start < $1.start }
        for (a, b) in zip(found, found.dropFirst()) {
            let overlaps = unit == .frames ? b.start <= a.end : b.start < a.end
            if overlaps {
                throw ActionCodingError(path: file, line: b.line,
                                        problem: "\(b.action.rawValue) from \(ActionCoding.format(b.start)) overlaps line \(a.line)'s \(a.action.rawValue) up to \(ActionCoding.format(a.end))")
            }
        }
        path = file
        self.unit = unit
        rows = found
    }

    /// The segments in seconds of a video whose frames are shown at `frameTimes` (frame k at
    /// `frameTimes[k]`), clipped to its end: what lies beyond is dropped or cut, each said in `warnings`.
    public func timed(frameTimes: [Double], duration: Double) -> (segments: [ActionSegment], warnings: [String]) {
        var segments: [ActionSegment] = [], warnings: [String] = []
        for row in rows {
            var start = row.start, end = row.end
            if unit == .frames {
                let first = Int(row.start), last = Int(row.end)
                guard first < frameTimes.count else {
                    warnings.append("\(path) line \(row.line): \(row.action.rawValue) starts at frame \(first), after the video's last frame (\(frameTimes.count - 1)); left out")
                    continue
                }
                start = frameTimes[first]
                if last + 1 < frameTimes.count { end = frameTimes[last + 1] } else {
                    if last >= frameTimes.count {
                        warnings.append("\(path) line \(row.line): \(row.action.rawValue) ends at frame \(last), after the video's last frame (\(frameTimes.count - 1)); cut there")
                    }
                    end = duration
                }
            } else {
                guard start < duration else {
                    warnings.append("\(path) line \(row.line): \(row.action.rawValue) starts at \(ActionCoding.format(start)) s, after the video's end (\(ActionCoding.format(duration)) s); left out")
                    continue
                }
                // A coding written to the millisecond may end half a millisecond past the end: no news.
                if end > duration + 0.0005 {
                    warnings.append("\(path) line \(row.line): \(row.action.rawValue) ends at \(ActionCoding.format(end)) s, after the video's end (\(ActionCoding.format(duration)) s); cut there")
                }
                end = min(end, duration)
            }
            segments.append(ActionSegment(action: row.action, start: start, end: end, source: .codingFile))
        }
        return (segments, warnings)
    }

    static func format(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(format: "%.3f", v) }
}

/// A coding file that cannot be used, naming the file, the line and what is wrong with it.
public struct ActionCodingError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let line: Int?
    public let problem: String
    public var description: String { "\(path)\(line.map { " line \($0)" } ?? ""): \(problem)" }
}
