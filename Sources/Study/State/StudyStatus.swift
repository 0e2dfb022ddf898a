import Foundation
import FaceMirror

/// `facemirror study status DIR`: how many videos stand where, the failed ones with their reasons,
/// and what is running where (or was, when its process ended without finishing).
public struct StudyStatus: Sendable {
    public let folder: StudyFolder
    public let records: [VideoRecord]
    public let staleAfter: TimeInterval

    public init(folder: StudyFolder, staleAfter: TimeInterval = 300) throws {
        self.folder = folder
        records = try folder.records()
        self.staleAfter = staleAfter
    }

    /// Videos per status, every status listed.
    public var counts: [(status: VideoStatus, videos: Int)] {
        VideoStatus.allCases.map { s in (s, records.filter { $0.status == s }.count) }
    }

    public var text: String {
        let files = folder.files.map(\.lastPathComponent).joined(separator: ", ")
        var lines = ["\(folder.directory.path): \(records.count) video\(records.count == 1 ? "" : "s") (\(files))"]
        lines.append("  " + counts.map { "\($0.status.label) \($0.videos)" }.joined(separator: ", "))
        let failed = records.filter { $0.status == .failed }
        if !failed.isEmpty {
            lines.append("failed:")
            lines += failed.map { "  \($0.path): \($0.reason ?? "no reason recorded") (attempts: \($0.attempts))" }
        }
        // The upstream tool's warning: more than 30 % of a video's frames with poor landmarks.
        let poor = records.filter { r in
            guard let f = r.framesWithFace, f > 0, let p = r.framesPoorLandmarks else { return false }
            return Double(p) / Double(f) > LandmarkQualitySummary.warningShare
        }
        if !poor.isEmpty {
            lines.append("poor landmarks (over \(Int(100 * LandmarkQualitySummary.warningShare)) % of the frames with a face):")
            lines += poor.map { r in
                "  \(r.path): \(r.framesPoorLandmarks ?? 0) of \(r.framesWithFace ?? 0) frames (\(r.poorLandmarks ?? ""))"
            }
        }
        var running: [String] = [], interrupted: [String] = []
        for r in records {
            guard let holder = r.holder, let health = r.claimHealth(staleAfter: staleAfter) else { continue }
            switch health {
            case .alive(let heard):
                let when = heard < 0 ? "its clock \(Int(-heard)) s ahead of this machine's" : "last heard \(Int(heard)) s ago"
                running.append("  \(r.path): \(holder) since \(r.started ?? "?"), \(when)")
            case .ended:
                interrupted.append("  \(r.path): \(holder) ended without finishing it; the next run redoes it")
            }
        }
        if !running.isEmpty { lines += ["running:"] + running }
        if !interrupted.isEmpty { lines += ["interrupted:"] + interrupted }
        return lines.joined(separator: "\n") + "\n"
    }
}
