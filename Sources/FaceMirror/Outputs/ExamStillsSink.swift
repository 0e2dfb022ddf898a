import FaceMirrorCore
import Foundation

/// `<stem>_exam_stills.jpg` in a run: the two faces of the frames `StillFrameSelection` keeps, small
/// (JPEG, about 15 kB each), until the exam says which frames it needs.
final class ExamStillsSink: FrameSink {
    private let files: OutputFiles
    private let timer: StageTimer
    private var selection = StillFrameSelection()
    private var pictures: [Int: [UInt8]] = [:]

    init(context: SinkContext) {
        files = context.files
        timer = context.timer
    }

    func write(_ f: AnalysedFrame) throws {
        guard let landmarks = f.analysis.landmarks, let mirrored = f.mirrored else { return }
        let (keep, dropped) = selection.offer(index: f.analysis.index, time: f.analysis.time)
        for frame in dropped { pictures[frame] = nil }
        guard keep else { return }
        // An illustration: a frame it cannot be made of (the face off the frame) is passed over.
        pictures[f.analysis.index] = try? timer.measure("exam_stills") {
            let crop = try FaceCrop(landmarks, width: f.frame.image.width, height: f.frame.image.height)
            return try ExamStills.pair(right: crop.thumbnail(mirrored.right, size: ExamStills.face),
                                       left: crop.thumbnail(mirrored.left, size: ExamStills.face))
        }
    }

    func finish(_ video: VideoResults) throws {
        let movements = video.exam?.movements ?? []
        let sheet = try timer.measure("exam_stills") {
            try ExamStills.sheet(movements) { frame in
                selection.nearest(frame).flatMap { kept in pictures[kept].map { (kept, $0) } }
            }
        }
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
}
