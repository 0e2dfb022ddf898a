import FaceMirror
import FaceMirrorCore
import Foundation

/// `study_exam.csv`: the exam across a study, one row per video × movement × zone (the movement
/// symmetry of each zone with the weaker side and each side's movement), read from each processed
/// video's `<stem>_exam.json`; and each video's movement symmetry per zone for the study's index.
public enum StudyExamTable {
    public static let fileName = "study_exam.csv"
    public static let columns = ["path", "action", "name", "occurrence", "start", "end", "source", "confidence", "zone", "asked", "measure",
                                 "movement_right", "movement_left", "symmetry", "weaker_side", "flags"]

    /// The exam of a video of the study, when it has one that reads.
    public static func exam(of record: VideoRecord, in folder: StudyFolder) -> ExamResult? {
        guard record.containedPath != nil, record.status == .done || record.status == .noFace else { return nil }
        let relative = (record.path as NSString).deletingLastPathComponent
        let directory = relative.isEmpty ? folder.directory : folder.directory.appendingPathComponent(relative)
        let file = directory.appendingPathComponent(OutputNames.stem(of: record.path) + OutputNames.examJSON)
        guard let data = try? RegularFile.contents(of: file.path, limit: 256 << 20) else { return nil }
        return try? JSONOutput.decoder().decode(ExamResult.self, from: data)
    }

    /// Per zone, the median movement symmetry over the movements that ask for that zone (none: absent).
    public static func zoneSymmetry(_ exam: ExamResult) -> [FaceZone: Double] {
        var values: [FaceZone: [Double]] = [:]
        for m in exam.movements {
            guard let z = m.zones.first(where: { $0.zone == m.zone }), z.symmetry.isFinite else { continue }
            values[m.zone, default: []].append(z.symmetry)
        }
        return values.mapValues { Statistics.percentile($0, 50) }
    }

    /// The table's text, and the processed videos without an exam.
    public static func csv(_ records: [VideoRecord], in folder: StudyFolder) -> (text: String, movements: Int, without: [String]) {
        var lines = [columns.joined(separator: ",")], movements = 0, without: [String] = []
        let n = { (v: Double, d: Int) in v.isFinite ? String(format: "%.\(d)f", v) : "NaN" }
        for r in records where r.status == .done || r.status == .noFace {
            guard let exam = exam(of: r, in: folder) else { without.append(r.path); continue }
            for m in exam.movements {
                movements += 1
                for z in m.zones {
                    let item = m.items.first { $0.kind == .measure && $0.name == z.measure }
                    lines.append([CSVField.text(r.path), m.action.rawValue, CSVField.quote(m.name), "\(m.occurrence)", n(m.start, 3), n(m.end, 3),
                                  CSVField.quote(m.source.rawValue), n(m.confidence, 2), z.zone.rawValue, z.zone == m.zone ? "1" : "0", z.measure,
                                  n(item?.movement.right ?? .nan, 4), n(item?.movement.left ?? .nan, 4), n(z.symmetry, 1), z.weakerSide ?? "",
                                  CSVField.quote(m.flags.joined(separator: "; "))].joined(separator: ","))
                }
            }
        }
        return (lines.joined(separator: "\n") + "\n", movements, without)
    }

    /// Writes the table into `file` whole. An existing file is replaced only when facemirror wrote it,
    /// or with `overwrite` (`ReplaceableFile`).
    @discardableResult
    public static func write(_ records: [VideoRecord], in folder: StudyFolder, to file: URL, overwrite: Bool = false) throws -> (movements: Int, without: [String]) {
        try ReplaceableFile.check(file, overwrite: overwrite) { $0.starts(with: Data("path,action,name,occurrence,".utf8)) }
        let table = csv(records, in: folder)
        let temp = file.deletingLastPathComponent().appendingPathComponent(TemporaryName.next(suffix: ".csv"))
        do {
            try Data(table.text.utf8).write(to: temp)
            guard rename(temp.path, file.path) == 0 else { throw NSError(domain: NSPOSIXErrorDomain, code: Int(errno)) }
        } catch {
            unlink(temp.path)
            throw StudyStateError(file: file.path, reason: "cannot write the exam table (\(ErrorText.describe(error)))")
        }
        return (table.movements, table.without)
    }
}
