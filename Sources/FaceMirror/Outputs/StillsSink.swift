import FaceMirrorCore
import Foundation
import MediaBinding
import VisionBinding

/// `<stem>_still_largest.jpg` and `<stem>_still_median.jpg`: three pictures side by side —
/// the frame with its midline, the right–right and the left–left face — at the frame of largest
/// overall landmark asymmetry and at a frame whose asymmetry is nearest the video's median, for the
/// report (and for a paper's figure). Streaming: the largest so far is kept as it comes; for the
/// median, at most `candidates` frames spread over the video are kept as JPEG bytes.
final class StillsSink: FrameSink {
    static let panelHeight = 360
    static let candidates = 32
    private let files: OutputFiles
    private let timer: StageTimer
    private var largest: (index: Int, value: Double, picture: [UInt8])?
    private var kept: [(index: Int, value: Double, picture: [UInt8])] = []
    private var stride = 1
    private var values: [Double] = []

    init(context: SinkContext) {
        files = context.files
        timer = context.timer
    }

    func write(_ f: AnalysedFrame) throws {
        let frame = f.frame, a = f.analysis
        guard let landmarks = a.landmarks, let mirrored = f.mirrored, let value = f.measures?.overallIndex, value.isFinite else { return }
        values.append(value)
        let isLargest = value > (largest?.value ?? -1)
        let isCandidate = a.index % stride == 0
        guard isLargest || isCandidate else { return }
        // A still is an illustration: a frame it cannot be made of (a face region off the frame) is passed over.
        guard let picture = try? timer.measure("stills", { try StillsSink.mosaic(frame.image, landmarks: landmarks, mirrored: mirrored) }) else {
            return
        }
        if isLargest { largest = (a.index, value, picture) }
        if isCandidate {
            kept.append((a.index, value, picture))
            if kept.count > StillsSink.candidates {
                // Keep every other one and take every second frame from now on: the set stays spread over the video.
                stride *= 2
                kept = kept.filter { $0.index % stride == 0 }
            }
        }
    }

    func finish(_ video: VideoResults) throws {
        guard let largest else { return }
        let median = Statistics.percentile(values, 50)
        let representative = kept.min { abs($0.value - median) < abs($1.value - median) } ?? largest
        for (suffix, still) in [(OutputNames.stillsLargest, largest), (OutputNames.stillsRepresentative, representative)] {
            let path = files.temporaryPath(for: suffix)
            // Written in place (see CSVFile: no hidden temporary that a signal could leave behind).
            do {
                try Data(still.picture).write(to: URL(fileURLWithPath: path))
            } catch {
                throw OutputError.cannotWrite(path: path, reason: "cannot create the file (\(ErrorText.describe(error)))")
            }
        }
    }

    /// The frame with its midline, right–right and left–left, each scaled to `panelHeight`, side by side, as JPEG.
    static func mosaic(_ image: Image, landmarks: FaceLandmarks, mirrored: MirroredPair) throws -> [UInt8] {
        var original = image
        let (top, bottom) = landmarks.midline.endpoints(width: Double(image.width), height: Double(image.height))
        try original.drawLine(from: (top.x, top.y), to: (bottom.x, bottom.y), colour: .yellow, thickness: max(2, image.height / 240))
        // The face, not the whole frame.
        let crop = try FaceCrop(landmarks, width: image.width, height: image.height)
        let width = crop.width(atHeight: panelHeight)
        let panels = try [original, mirrored[.right], mirrored[.left]].map { try Imaging.resize(crop.apply($0), width: width, height: panelHeight) }
        var out = Image(width: 3 * width, height: panelHeight, fill: 255)
        for (k, panel) in panels.enumerated() { out.paste(panel, x: k * width, y: 0) }
        // Each panel says what it is on the image itself (a still copied out of the report keeps it).
        let labels = ["video frame", "right-right (patient's right)", "left-left (patient's left)"]
        let scale = max(0.4, Double(panelHeight) / 900)
        for (k, label) in labels.enumerated() {
            try out.drawLabel(label, x: k * width + 6, y: 6, scale: scale, foreground: .white, background: .black)
        }
        return try Imaging.encodeJPEG(out, quality: 85)
    }
}
