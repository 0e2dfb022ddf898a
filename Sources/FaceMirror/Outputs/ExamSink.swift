import FaceMirrorCore
import Foundation

/// The exam's outputs, written when the video ends from the exam the processor analysed:
/// `<stem>_timeline.csv` (the segments used, with their source and confidence), `<stem>_exam.csv` (one
/// row per movement × zone × measure or AU, synkinesis and resting symmetry), `<stem>_exam.json` (the
/// same, whole) and, when AUs are measured, `<stem>_{right,left}_mirrored_coded.csv`: each hemiface's
/// AUs with the frame's movement code, in the layout the upstream analysis reads.
final class ExamSink: FrameSink {
    private let timelinePath: String
    private let examPath: String
    private let jsonPath: String
    private let codedPaths: [Hemiface: String]
    private let timer: StageTimer

    init(context: SinkContext, actionUnits: Bool) throws {
        timelinePath = context.files.temporaryPath(for: OutputNames.timeline)
        examPath = context.files.temporaryPath(for: OutputNames.exam)
        jsonPath = context.files.temporaryPath(for: OutputNames.examJSON)
        var coded: [Hemiface: String] = [:]
        if actionUnits {
            coded[.right] = context.files.temporaryPath(for: OutputNames.rightCoded)
            coded[.left] = context.files.temporaryPath(for: OutputNames.leftCoded)
        }
        codedPaths = coded
        timer = context.timer
        // Created now: an unwritable folder fails before the video, not after it.
        try CSVFile(path: timelinePath, header: []).close()
    }

    func write(_ frame: AnalysedFrame) throws {}

    func finish(_ video: VideoResults) throws {
        guard let exam = video.exam else { return }
        try timer.measure("exam") {
            let times = video.measures.frames.map(\.time), indices = video.measures.frames.map(\.index)
            try ExamTables.writeTimeline(exam.timeline.segments, times: times, indices: indices, to: timelinePath)
            try ExamTables.writeExam(exam, to: examPath)
            do {
                try JSONOutput.write(exam, to: jsonPath)
            } catch {
                throw OutputError.cannotWrite(path: jsonPath, reason: ErrorText.describe(error))
            }
            if let table = video.actionUnits.first {
                for (side, path) in codedPaths {
                    try ExamTables.writeCoded(table, side: side, segments: exam.timeline.segments, to: path)
                }
            }
        }
    }
}

/// The exam's CSV layouts.
public enum ExamTables {
    public static let timelineColumns = ["action", "name", "start", "end", "first_frame", "last_frame", "source", "confidence", "zone"]
    public static let examColumns = ["action", "name", "occurrence", "start", "end", "source", "confidence", "peak_first_frame", "peak_last_frame",
                                     "peak_frames", "rest_from", "zone", "kind", "item", "unit", "rest_right", "rest_left", "peak_right", "peak_left",
                                     "movement_right", "movement_left", "symmetry", "weaker_side", "difference", "ratio", "percent_difference", "flags"]
    /// The upstream analysis's layout: the frame, its movement code (blank: not coded), the AU intensities.
    public static let codedColumns = ["frame", "action"] + AUCSVWriter.actionUnits.map { $0 + "_r" }

    static func writeTimeline(_ segments: [ActionSegment], times: [Double], indices: [Int], to path: String) throws {
        let csv = try CSVFile(path: path, header: timelineColumns)
        for s in segments {
            let inside = ExamFrames.first(in: times, atOrAfter: s.start)..<ExamFrames.first(in: times, atOrAfter: s.end)
            try csv.write([s.action.rawValue, CSVField.quote(s.action.name), CSVFile.number(s.start, 3), CSVFile.number(s.end, 3),
                           inside.first.map { String(indices[$0]) } ?? "", inside.last.map { String(indices[$0]) } ?? "",
                           CSVField.quote(s.source.rawValue), CSVFile.number(s.confidence, 2), s.zone?.rawValue ?? ""])
        }
        try csv.close()
    }

    static func writeExam(_ exam: ExamResult, to path: String) throws {
        let csv = try CSVFile(path: path, header: examColumns)
        let n = CSVFile.number
        for m in exam.movements {
            let head = [m.action.rawValue, CSVField.quote(m.name), String(m.occurrence), n(m.start, 3), n(m.end, 3), CSVField.quote(m.source.rawValue),
                        n(m.confidence, 2), m.peakFirstFrame.map(String.init) ?? "", m.peakLastFrame.map(String.init) ?? "", String(m.peakFrames),
                        CSVField.quote(m.restFrom)]
            let flags = CSVField.quote(m.flags.joined(separator: "; "))
            for z in m.zones {
                let it = m.items.first { $0.kind == .measure && $0.name == z.measure }!
                try csv.write(head + [z.zone.rawValue, "zone", z.measure, it.unit] + values(it) + [flags])
            }
            for it in m.items {
                try csv.write(head + [it.zone.rawValue, it.kind.rawValue, it.name, it.unit] + values(it) + [flags])
            }
            for s in m.synkinesis {
                let zone = s.kind.hasPrefix("mouth") ? "mouth" : "eye"
                try csv.write(head + [zone, "synkinesis", CSVField.quote(s.kind), CSVField.quote(s.unit), "", "", "", "", n(s.value.right, 4), n(s.value.left, 4),
                                      "", s.flagged.joined(separator: ";"), n(s.value.left - s.value.right, 4), "", "", flags])
            }
        }
        for r in exam.restingSymmetry {
            try csv.write([ExamAction.rest.rawValue, ExamAction.rest.name, "", "", "", "", "", "", "", "", "rest segments", r.zone.rawValue, "resting", r.measure,
                           "intercanthal", n(r.value.right, 4), n(r.value.left, 4), "", "", "", "", n(r.symmetry, 1), r.lowerSide ?? "",
                           n(r.difference, 4), "", "", ""])
        }
        try csv.close()
    }

    private static func values(_ it: ExamResult.Item) -> [String] {
        let n = CSVFile.number
        return [n(it.rest.right, 4), n(it.rest.left, 4), n(it.peak.right, 4), n(it.peak.left, 4), n(it.movement.right, 4), n(it.movement.left, 4),
                n(it.symmetry, 1), it.weakerSide ?? "", n(it.difference, 4), n(it.ratio, 3), n(it.percentDifference, 1)]
    }

    static func writeCoded(_ table: AUTable, side: Hemiface, segments: [ActionSegment], to path: String) throws {
        let csv = try CSVFile(path: path, header: codedColumns)
        var k = 0
        for (i, f) in table.frames.enumerated() {
            while k < segments.count, segments[k].end <= f.time { k += 1 }
            let code = k < segments.count && segments[k].contains(f.time) && segments[k].action != .unclear ? segments[k].action.rawValue : ""
            let measured = table.isMeasured(frame: i, side: side)
            try csv.write([String(f.index), code] + AUCSVWriter.actionUnits.map { CSVFile.number(measured ? table.intensity($0, frame: i, side: side) : .nan, 4) })
        }
        try csv.close()
    }
}
