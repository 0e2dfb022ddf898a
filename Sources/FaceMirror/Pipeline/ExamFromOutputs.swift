import FaceMirrorCore
import FileDigest
import Foundation
import Logging
import MediaBinding

/// The exam of a processed video made again from its per-frame outputs, without decoding it: when
/// only its timeline changed (a person's coding added or corrected), the landmark measures come from
/// `<stem>_asymmetry.csv`, the head pose and landmark quality from `<stem>_landmarks.csv`, the AUs from
/// the first method's `<stem>_{right,left}_mirrored.csv`; the exam's files are written again (all or
/// none) and the completion record lists their new sizes and SHA-256. The stills come from the
/// mirrored videos, decoded once each. With `--au-baseline rest` the AUs
/// themselves depend on the timeline: that needs the whole video again (`ExamFromOutputsError.needsVideo`).
public enum ExamFromOutputs {
    /// Reads the outputs of `input` in `options.outputDirectory`, analyses the exam with the timeline
    /// `TimelineInput.locate` finds now, and replaces the exam's files.
    public static func redo(_ input: String, options: ProcessOptions, logger: Logger) throws -> ExamResult {
        guard options.auBaseline == .video else { throw ExamFromOutputsError.needsVideo(input) }
        let stem = OutputNames.stem(of: input)
        let files = OutputFiles(directory: options.outputDirectory, stem: stem)
        let provenancePath = files.finalPath(OutputNames.provenance)
        let record: ProvenanceRecord
        do {
            record = try JSONOutput.decoder().decode(ProvenanceRecord.self, from: RegularFile.contents(of: provenancePath, limit: 64 << 20))
        } catch {
            throw ExamFromOutputsError.unreadable(provenancePath, ErrorText.describe(error))
        }
        // The outputs' own AUs took their neutral from the timeline they were made with.
        guard record.options["au_baseline"] != AUBaseline.rest.rawValue else { throw ExamFromOutputsError.needsVideo(input) }
        let timeline = try TimelineInput.locate(input: input, outputDirectory: options.outputDirectory, actionsFile: options.actionsFile) {
            options.ownOutputs.contains($0) || ProvenanceRecord.lists($0)
        }
        let landmarks = try CSVTable(path: files.finalPath(OutputNames.landmarks))
        let (measures, duration) = try track(files: files, landmarks: landmarks, frameRate: record.input.averageFrameRate)
        let table = try actionUnits(files: files, record: record)
        let reading = ExamReading(timeline, measures: measures, actionUnits: table, duration: duration)
        let exam = reading.analyse(measures: measures, actionUnits: table, duration: duration, video: record.input.path, logger: logger)

        // The exam's files under temporaries, then moved over the old ones together; the record last.
        let sheet = try stills(exam, files: files, landmarks: landmarks)
        let suffixes = OutputNames.examFiles(actionUnits: table != nil).filter { $0 != OutputNames.examStills || sheet != nil }
        do {
            let paths = Dictionary(uniqueKeysWithValues: suffixes.map { ($0, files.temporaryPath(for: $0)) })
            if let sheet { try Data(sheet).write(to: URL(fileURLWithPath: paths[OutputNames.examStills]!)) }
            try ExamTables.writeTimeline(exam.timeline.segments, times: measures.frames.map(\.time), indices: measures.frames.map(\.index),
                                         to: paths[OutputNames.timeline]!)
            try ExamTables.writeExam(exam, to: paths[OutputNames.exam]!)
            try JSONOutput.write(exam, to: paths[OutputNames.examJSON]!)
            if let table {
                try ExamTables.writeCoded(table, side: .right, segments: exam.timeline.segments, to: paths[OutputNames.rightCoded]!)
                try ExamTables.writeCoded(table, side: .left, segments: exam.timeline.segments, to: paths[OutputNames.leftCoded]!)
            }
            try files.commit(overwrite: true)
            // Without movements there is no sheet, and none is left from the timeline before.
            if sheet == nil { unlink(files.finalPath(OutputNames.examStills)) }
            let names = Set(OutputNames.examFiles(actionUnits: true).map { stem + $0 })
            let written = try suffixes.map { suffix -> ProvenanceRecord.File in
                let path = files.finalPath(suffix)
                let digest = try FileDigest.sha256(ofFile: path)
                let bytes = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
                return ProvenanceRecord.File(name: stem + suffix, bytes: bytes, sha256: digest)
            }
            let updated = record.replacingOutputs(record.outputs.filter { !names.contains($0.name) } + written)
            let temp = files.temporaryPath(for: OutputNames.provenance)
            try updated.json().write(to: URL(fileURLWithPath: temp))
            try files.commit(overwrite: true)
        } catch {
            files.discard()
            throw error
        }
        return exam
    }

    /// Every frame's measures, head pose and landmark quality from the per-frame CSVs; the time the
    /// last frame ends (one frame period after it, the period from the record's average frame rate).
    static func track(files: OutputFiles, landmarks: CSVTable, frameRate: String) throws -> (MeasureTrack, Double) {
        let asymmetry = try CSVTable(path: files.finalPath(OutputNames.asymmetry))
        guard asymmetry.rows.count == landmarks.rows.count else {
            throw ExamFromOutputsError.unreadable(asymmetry.path, "\(asymmetry.rows.count) rows, but \(landmarks.path) has \(landmarks.rows.count)")
        }
        let frames = try asymmetry.frameNumbers(), times = asymmetry.column("timestamp"), success = asymmetry.column("success")
        let scale = asymmetry.column("intercanthal_px")
        func side(_ name: String) -> [[Double]] {
            FacialMeasure.allCases.map { m in asymmetry.column(m.isAngle ? "\(m.rawValue)_\(name)_deg" : "\(m.rawValue)_\(name)_px") }
        }
        let right = side("right"), left = side("left")
        let yaw = landmarks.column("yaw"), poseYaw = landmarks.column("pose_Ry"), posePitch = landmarks.column("pose_Rx")
        let issues = landmarks.text("quality_issue")
        var track = MeasureTrack()
        for i in frames.indices {
            var measures: FrameMeasures?
            if success[i] == 1, scale[i].isFinite {
                measures = FrameMeasures(right: right.map { $0[i] }, left: left.map { $0[i] }, intercanthal: scale[i])
            }
            let y = poseYaw[i].isFinite ? poseYaw[i] * 180 / .pi : yaw[i]
            track.add(index: frames[i], time: times[i], measures: measures, poorLandmarks: !issues[i].trimmingCharacters(in: .whitespaces).isEmpty,
                      yaw: y, pitch: posePitch[i] * 180 / .pi)
        }
        let parts = frameRate.split(separator: "/").compactMap { Double($0) }
        let period = parts.count == 2 && parts[0] > 0 && parts[1] > 0 ? parts[1] / parts[0] : 0
        return (track, (times.last ?? 0) + period)
    }

    /// `<stem>_exam_stills.jpg`'s bytes (nil without movements): the faces at the frames a run would
    /// have kept nearest those the exam names (`StillFrameSelection`, run over the landmark CSV), cut from
    /// the mirrored videos (their frame k is the video's frame k) around the landmarks the CSV gives.
    /// Without the mirrored videos (no face anywhere) the rows say so.
    static func stills(_ exam: ExamResult, files: OutputFiles, landmarks: CSVTable) throws -> [UInt8]? {
        guard !exam.movements.isEmpty else { return nil }
        let frames = try landmarks.frameNumbers(), times = landmarks.column("timestamp")
        let points = landmarks.header.filter { $0.hasPrefix("x_") }.count
        guard let layout = LandmarkLayout.forCount(points) else {
            throw ExamFromOutputsError.unreadable(landmarks.path, "\(points) landmarks a row, a layout facemirror does not have")
        }
        let xs = (0..<points).map { landmarks.column("x_\($0)") }, ys = (0..<points).map { landmarks.column("y_\($0)") }
        func face(_ row: Int) -> FaceLandmarks? {
            let xy = (0..<points).flatMap { [Float(xs[$0][row]), Float(ys[$0][row])] }
            return xy.allSatisfy(\.isFinite) ? FaceLandmarks(layout: layout, xy: xy) : nil
        }
        var selection = StillFrameSelection()
        var rowOf: [Int: Int] = [:]
        for (row, frame) in frames.enumerated() where xs[0][row].isFinite {
            _ = selection.offer(index: frame, time: times[row])
            rowOf[frame] = row
        }
        let shown = Set(ExamStills.shown(exam.movements).flatMap { [$0.restStillFrame, $0.peakStillFrame].compactMap { $0 } }.compactMap(selection.nearest))
        var thumbnails: [Hemiface: [Int: Image]] = [:]
        for (side, suffix) in [(Hemiface.right, OutputNames.rightMirrored), (.left, OutputNames.leftMirrored)] {
            let path = files.finalPath(suffix)
            guard !shown.isEmpty, FileManager.default.fileExists(atPath: path) else { continue }
            let reader = try VideoReader(path: path, threads: 1)
            let last = shown.max()!
            while let frame = try reader.next() {
                if shown.contains(frame.index), let row = rowOf[frame.index], let face = face(row),
                   let crop = try? FaceCrop(face, width: frame.image.width, height: frame.image.height) {
                    thumbnails[side, default: [:]][frame.index] = try crop.thumbnail(frame.image, size: ExamStills.face)
                }
                if frame.index >= last { break }
            }
        }
        return try ExamStills.sheet(exam.movements) { wanted in
            guard let frame = selection.nearest(wanted), let right = thumbnails[.right]?[frame], let left = thumbnails[.left]?[frame] else { return nil }
            return (frame, try ExamStills.pair(right: right, left: left))
        }
    }

    /// The run's first AU method's table from its two CSVs (nil when the run measured no AUs).
    static func actionUnits(files: OutputFiles, record: ProvenanceRecord) throws -> AUTable? {
        let rightPath = files.finalPath(OutputNames.rightAUs), leftPath = files.finalPath(OutputNames.leftAUs)
        guard FileManager.default.fileExists(atPath: rightPath) else { return nil }
        let right = try CSVTable(path: rightPath), left = try CSVTable(path: leftPath)
        guard right.rows.count == left.rows.count else { throw ExamFromOutputsError.unreadable(leftPath, "its rows differ from \(rightPath)'s") }
        let method: AUMethod = record.options["openface2_aus"] == "on" ? .openface2 : .mtl
        // The AUs the method gives: the columns with a number anywhere.
        let units = AUCSVWriter.actionUnits.filter { u in right.column(u + "_r").contains(where: \.isFinite) || left.column(u + "_r").contains(where: \.isFinite) }
        var table = AUTable(method: method, actionUnits: units)
        let frames = try right.frameNumbers(), times = right.column("timestamp"), confidence = right.column("confidence")
        let columns: [Hemiface: [[Double]]] = [.right: units.map { right.column($0 + "_r") }, .left: units.map { left.column($0 + "_r") }]
        let measured: [Hemiface: [Double]] = [.right: right.column("success"), .left: left.column("success")]
        for i in frames.indices {
            table.append(AUTable.Frame(index: frames[i], time: times[i], confidence: confidence[i]), Dictionary(uniqueKeysWithValues: Hemiface.allCases.map { side in
                (side, AUTable.Side(measured: measured[side]![i] == 1, intensities: columns[side]!.map { $0[i] }))
            }))
        }
        return table
    }
}

/// Why a video's exam could not be made again from its outputs alone.
public enum ExamFromOutputsError: Error, CustomStringConvertible, Sendable {
    /// Its AUs take their neutral from the timeline (`--au-baseline rest`): the video is processed again.
    case needsVideo(String)
    case unreadable(String, String)

    public var description: String {
        switch self {
        case .needsVideo(let v): return "\(v): with --au-baseline rest its AUs depend on the timeline; the video is processed again"
        case .unreadable(let p, let why): return "\(p): \(why); the exam cannot be made again from the outputs"
        }
    }
}
