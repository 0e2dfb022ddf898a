import FaceMirrorCore
import Foundation

/// `<stem>_exam_stills.jpg` in a run: each frame's two faces are kept small (JPEG, about 15 kB) until
/// the exam says which frames it needs. Past `kept` frames every other one is let go and only every
/// second frame kept from then on, so memory stays bounded on an hour-long video (the row then names
/// the nearest kept frame).
final class ExamStillsSink: FrameSink {
    static let kept = 4096
    private let files: OutputFiles
    private let timer: StageTimer
    private var pairs: [(index: Int, picture: [UInt8])] = []
    private var stride = 1

    init(context: SinkContext) {
        files = context.files
        timer = context.timer
    }

    func write(_ f: AnalysedFrame) throws {
        guard f.analysis.index % stride == 0, let landmarks = f.analysis.landmarks, let mirrored = f.mirrored else { return }
        // An illustration: a frame it cannot be made of (the face off the frame) is passed over.
        guard let picture = try? timer.measure("exam_stills", {
            try ExamStills.pair(mirrored, crop: FaceCrop(landmarks, width: f.frame.image.width, height: f.frame.image.height))
        }) else { return }
        pairs.append((f.analysis.index, picture))
        if pairs.count > ExamStillsSink.kept {
            stride *= 2
            pairs = pairs.filter { $0.index % stride == 0 }
        }
    }

    func finish(_ video: VideoResults) throws {
        let movements = video.exam?.movements ?? []
        let sheet = try timer.measure("exam_stills") { try ExamStills.sheet(movements) { nearest($0) } }
        guard let sheet else {
            // No movement: no sheet, and none left from an earlier run being replaced.
            unlink(files.finalPath(OutputNames.examStills))
            return
        }
        let path = files.temporaryPath(for: OutputNames.examStills)
        do {
            try Data(sheet).write(to: URL(fileURLWithPath: path))
        } catch {
            throw OutputError.cannotWrite(path: path, reason: "cannot create the file (\(ErrorText.describe(error)))")
        }
    }

    /// The kept pair at or nearest `frame` (the kept frames are in order).
    private func nearest(_ frame: Int) -> (frame: Int, picture: [UInt8])? {
        var lo = 0, hi = pairs.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if pairs[mid].index < frame { lo = mid + 1 } else { hi = mid }
        }
        let around = [lo - 1, lo].filter { pairs.indices.contains($0) }
        return around.min { abs(pairs[$0].index - frame) < abs(pairs[$1].index - frame) }.map { (pairs[$0].index, pairs[$0].picture) }
    }
}
