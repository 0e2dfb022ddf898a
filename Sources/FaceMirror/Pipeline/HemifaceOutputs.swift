import Foundation

/// The AU pass on both mirrored hemifaces, in the same pass as the mirroring: the AU network on the
/// face crop of each mirrored picture, AU45 from the kept eye, rows to the AU and extra CSVs.
final class HemifaceOutputs {
    private let rightAUs: AUCSVWriter, leftAUs: AUCSVWriter
    private let rightExtra: ExtraCSVWriter, leftExtra: ExtraCSVWriter
    private let layout: LandmarkLayout
    private var rightBlink = BlinkEstimator(), leftBlink = BlinkEstimator()

    init(files: OutputFiles, layout: LandmarkLayout) throws {
        rightAUs = try AUCSVWriter(path: files.temporaryPath(for: OutputNames.rightAUs))
        leftAUs = try AUCSVWriter(path: files.temporaryPath(for: OutputNames.leftAUs))
        rightExtra = try ExtraCSVWriter(path: files.temporaryPath(for: OutputNames.rightExtra))
        leftExtra = try ExtraCSVWriter(path: files.temporaryPath(for: OutputNames.leftExtra))
        self.layout = layout
    }

    func resetSmoothing() {
        rightBlink.reset()
        leftBlink.reset()
    }

    /// The face box of a mirrored picture: the same size, centred on the midline at the box's height
    /// (the mirrored face is symmetric about the midline, not about the original box).
    static func mirroredBox(_ box: FaceBox, midline: Midline) -> FaceBox {
        let cy = box.centre.y
        let g = midline.glabella, c = midline.chin
        let cx = abs(c.y - g.y) > 1e-9 ? g.x + (cy - g.y) * (c.x - g.x) / (c.y - g.y) : box.centre.x
        return FaceBox(left: cx - box.width / 2, top: box.top, right: cx + box.width / 2, bottom: box.bottom, score: box.score)
    }

    func write(frame: VideoFrame, mirrored: (right: Image, left: Image)?, landmarks: FaceLandmarks?, box: FaceBox?,
               confidence: Double, estimator: AUEstimator, timer: StageTimer) throws {
        var right = HemifaceRow(frame: frame.index, timestamp: frame.time)
        var left = right
        if let mirrored, let landmarks, let box {
            let hemiBox = HemifaceOutputs.mirroredBox(box, midline: landmarks.midline)
            for side in [true, false] {
                let picture = side ? mirrored.right : mirrored.left
                // right_mirrored keeps the image-left half, so both of its eyes are the image-left eye.
                let eye = side ? layout.leftEye : layout.rightEye
                let analysis = try timed(estimator, timer) { try estimator.analyse(picture, box: hemiBox) }
                let ear = BlinkEstimator.eyeAspectRatio(landmarks, eye: eye)
                let au45 = side ? rightBlink.add(ear: ear) : leftBlink.add(ear: ear)
                var row = HemifaceRow(frame: frame.index, timestamp: frame.time)
                row.confidence = confidence
                row.success = true
                row.analysis = analysis
                for (name, raw) in zip(MTLSpec.actionUnits, analysis.actionUnitsRaw) { row.intensities[name] = MTLSpec.intensity(raw) }
                row.intensities["AU45"] = au45
                if side { right = row } else { left = row }
            }
        }
        try timer.measure("csv") {
            try rightAUs.write(right); try leftAUs.write(left)
            try rightExtra.write(right); try leftExtra.write(left)
        }
    }

    private func timed<T>(_ estimator: AUEstimator, _ timer: StageTimer, _ body: () throws -> T) rethrows -> T {
        if estimator is SelfTimedStage { return try body() }
        return try timer.measure("au", body)
    }

    func close() throws {
        try rightAUs.close(); try leftAUs.close(); try rightExtra.close(); try leftExtra.close()
    }
}
