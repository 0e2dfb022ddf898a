import FaceMirror
import FaceMirrorCore
import Foundation
import Logging
import MediaBinding
import TestSupport
import XCTest

/// The whole `process` pipeline with the default dlib stack on real encoded clips.
final class PipelineTests: XCTestCase {
    /// One processed run of the sample, shared by the tests that only read its outputs.
    private struct SampleRun {
        let dir: URL
        let summary: ProcessSummary
        let table: LandmarkTable
        func path(_ suffix: String) -> String { dir.appendingPathComponent("grace_hopper_rot" + suffix).path }
    }

    private static let sampleLock = NSLock()
    nonisolated(unsafe) private static var cachedRun: SampleRun?

    private func sampleRun() throws -> SampleRun {
        PipelineTests.sampleLock.lock(); defer { PipelineTests.sampleLock.unlock() }
        if let run = PipelineTests.cachedRun { return run }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("facemirror-sample-run-\(getpid())")
        try? FileManager.default.removeItem(at: dir)
        // Lossless H.264 (CRF 0) so that the symmetry check sees the mirror, not the codec's rounding.
        let summary = try process(try Fixtures.sample(), into: dir, encoder: EncoderSettings(preset: .ultrafast, crf: 0))
        let run = SampleRun(dir: dir, summary: summary, table: try LandmarkTable(path: dir.appendingPathComponent("grace_hopper_rot_landmarks.csv").path))
        PipelineTests.cachedRun = run
        return run
    }

    override class func tearDown() {
        if let run = cachedRun { try? FileManager.default.removeItem(at: run.dir) }
        super.tearDown()
    }

    private func process(_ video: String, into dir: URL, overwrite: Bool = false,
                         encoder: EncoderSettings = EncoderSettings()) throws -> ProcessSummary {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var options = ProcessOptions(outputDirectory: dir)
        options.overwrite = overwrite
        options.encoder = encoder
        return try VideoProcessor.dlibDefault(logger: Fixtures.logger).process(video, options: options)
    }

    func testSampleLandmarksFollowTheKnownTransform() throws {
        let run = try sampleRun()
        let t = run.table
        let transforms = try Fixtures.sampleTransforms()
        XCTAssertEqual(t.rows.count, Fixtures.sampleFrames, "one row per frame")
        XCTAssertEqual(Set(t.column("success")), [1], "a face in every frame")
        XCTAssertEqual(run.summary.detections, 1, "detected once, then tracked")
        for (n, time) in t.column("timestamp").enumerated() { XCTAssertEqual(time, Fixtures.sampleTime(n), accuracy: 1e-6) }
        XCTAssertEqual(t.column("frame"), (0..<Fixtures.sampleFrames).map(Double.init))

        // Against the known motion itself, not a smoothed copy of it: the default (centred) smoothing has no lag.
        var errors: [Double] = []
        for i in 0..<68 {
            let pts = t.point(i)
            let photoPoint = Fixtures.photoPoint(pts, transforms: transforms)
            for n in 0..<t.rows.count {
                let e = Fixtures.apply(transforms[n].m, photoPoint)
                errors.append(hypot(pts[n].x - e.x, pts[n].y - e.y))
            }
        }
        let median = Fixtures.median(errors), worst = errors.max()!
        print("landmarks vs known transform: median \(median) px, max \(worst) px over \(errors.count) points")
        XCTAssertLessThanOrEqual(median, 1.0)

        // The midline turns with the picture: its tilt minus the known rotation stays within 1° of its
        // typical value (the face's own midline is not exactly vertical in the photo).
        let gx = t.column("glabella_x"), gy = t.column("glabella_y"), cx = t.column("chin_x"), cy = t.column("chin_y")
        var offsets: [Double] = []
        for n in 0..<t.rows.count {
            let measured = Midline(glabella: Point(gx[n], gy[n]), chin: Point(cx[n], cy[n])).tiltDegrees
            offsets.append(measured - transforms[n].angle)
        }
        let typical = Fixtures.median(offsets)
        for (n, o) in offsets.enumerated() { XCTAssertEqual(o, typical, accuracy: 1.0, "frame \(n)") }
        let span = Midline(glabella: Point(gx[59], gy[59]), chin: Point(cx[59], cy[59])).tiltDegrees
            - Midline(glabella: Point(gx[0], gy[0]), chin: Point(cx[0], cy[0])).tiltDegrees
        print("midline tilt: offset \(typical)°, worst deviation \(offsets.map { abs($0 - typical) }.max()!)°; turned \(span)° from frame 0 to 59 (picture turned \(transforms[59].angle - transforms[0].angle)°)")
        // A frontal face: yaw stays small.
        let yaw = t.column("yaw")
        XCTAssertLessThan(Fixtures.median(yaw.map(abs)), 5)
    }

    func testMirroredVideosKeepFramesTimestampsAudioAndAreSymmetric() throws {
        let run = try sampleRun()
        let inputTimes = try Fixtures.timestamps(try Fixtures.sample())
        let t = run.table
        for suffix in [OutputNames.rightMirrored, OutputNames.leftMirrored, OutputNames.debug] {
            let (info, frames) = try Fixtures.frames(run.path(suffix))
            XCTAssertTrue(info.hasAudio, "\(suffix) carries the input's audio")
            XCTAssertEqual(frames.count, inputTimes.count, suffix)
            for (f, time) in zip(frames, inputTimes) { XCTAssertEqual(f.time, time, accuracy: 1e-6, suffix) }
            XCTAssertEqual(info.width, 1280); XCTAssertEqual(info.height, 720)
            guard suffix != OutputNames.debug else { continue }
            for n in stride(from: 0, to: frames.count, by: 6) {
                let line = Midline(glabella: Point(t.column("glabella_x")[n], t.column("glabella_y")[n]),
                                   chin: Point(t.column("chin_x")[n], t.column("chin_y")[n]))
                let xs = (0..<68).map { t.column("x_\($0)")[n] }, ys = (0..<68).map { t.column("y_\($0)")[n] }
                let box = (Int(xs.min()!), Int(ys.min()!), Int(xs.max()!) + 1, Int(ys.max()!) + 1)
                let asym = try Symmetry.asymmetry(frames[n].image, about: line, box: box)
                XCTAssertLessThanOrEqual(asym, 2.0, "\(suffix) frame \(n)")
            }
        }
        let probe = try Fixtures.run("/usr/bin/ffprobe", ["-v", "error", "-select_streams", "a", "-show_entries", "stream=codec_name,sample_rate", "-of", "csv=p=0", run.path(OutputNames.leftMirrored)])
        XCTAssertEqual(probe.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "aac,48000", "audio copied as it was")
    }

    /// dlib's landmark model from --dlib-landmarks or FACEMIRROR_DLIB_LANDMARKS (Debian's path otherwise):
    /// the file used is the one the provenance names; a missing one is a clear error.
    func testDlibModelPathFromOptionOrEnvironment() throws {
        let dir = try Fixtures.scratch(self)
        let video = try Fixtures.sampleClip(frames: 2, in: dir, name: "two.mp4", fast: true)
        let copy = dir.appendingPathComponent("elsewhere.dat").path
        try FileManager.default.createSymbolicLink(atPath: copy, withDestinationPath: DlibLandmarkDetector.debianModelPath)
        for (label, args, env) in [("option", ["--dlib-landmarks", copy], [String: String]()),
                                   ("environment", [], [DlibLandmarkDetector.environmentVariable: copy])] {
            let out = dir.appendingPathComponent(label)
            try Fixtures.run(Fixtures.cli(), ["process", video, "-o", out.path, "--no-debug-video", "--no-report", "-q"] + args, environment: env)
            let provenance = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("two_provenance.json"))) as! [String: Any]
            let models = provenance["models"] as! [[String: Any]]
            XCTAssertEqual(models.first { $0["role"] as? String == "landmarks" }?["path"] as? String, copy, label)
        }
        let missing = try Fixtures.run(Fixtures.cli(), ["process", video, "-o", dir.appendingPathComponent("m1").path, "--dlib-landmarks", "/nonexistent.dat"],
                                       allowFailure: true)
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.stderr.contains("--dlib-landmarks /nonexistent.dat: no such file"), missing.stderr)
        let fromEnv = try Fixtures.run(Fixtures.cli(), ["process", video, "-o", dir.appendingPathComponent("m2").path], allowFailure: true,
                                       environment: [DlibLandmarkDetector.environmentVariable: "/nonexistent.dat"])
        XCTAssertNotEqual(fromEnv.status, 0)
        XCTAssertTrue(fromEnv.stderr.contains("/nonexistent.dat") && fromEnv.stderr.contains(DlibLandmarkDetector.environmentVariable), fromEnv.stderr)
    }

    func testPerformanceReportFiles() throws {
        let run = try sampleRun()
        let text = try String(contentsOfFile: run.path(OutputNames.reportText), encoding: .utf8)
        XCTAssertTrue(text.contains("frames: 60"))
        XCTAssertTrue(text.contains("pipeline FPS"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: run.path(OutputNames.reportJSON)))) as! [String: Any]
        XCTAssertEqual(json["frames"] as? Int, 60)
        let stages = (json["stages"] as! [[String: Any]]).map { $0["name"] as! String }
        for s in ["decode", "detect", "landmarks", "mirror", "draw", "encode_right", "encode_left", "encode_debug"] {
            XCTAssertTrue(stages.contains(s), s)
        }
        let decode = (json["stages"] as! [[String: Any]]).first { $0["name"] as? String == "decode" }!
        XCTAssertEqual(decode["calls"] as? Int, 61, "60 frames and the end of the stream")
        XCTAssertGreaterThan(json["fps"] as! Double, 0)
        // No temporary files remain next to the outputs.
        let names = try FileManager.default.contentsOfDirectory(atPath: run.dir.path)
        XCTAssertEqual(Set(names), Set(OutputNames.all(debugVideo: true).filter { $0 != OutputNames.examStills }.map { "grace_hopper_rot" + $0 }))
    }

    func testPhoneRotatedCopyComesOutUprightWithTheSameLandmarks() throws {
        let dir = try Fixtures.scratch(self)
        let flagged = try PhoneStyle.copy(of: try Fixtures.sample(), in: dir)
        let out = dir.appendingPathComponent("out")
        _ = try process(flagged, into: out)
        let (info, frames) = try Fixtures.frames(out.appendingPathComponent("phone90_right_mirrored.mp4").path)
        XCTAssertEqual(info.width, 1280, "upright: stored 720 wide, shown 1280 wide")
        XCTAssertEqual(info.height, 720)
        let rotated = try LandmarkTable(path: out.appendingPathComponent("phone90_landmarks.csv").path)
        // With the default (lossy, CRF 18) encoder the output stays close to symmetric; x264's rounding of
        // the face's fine texture adds about one grey level to the lossless figure.
        for n in [5, 30, 55] {
            let line = Midline(glabella: Point(rotated.column("glabella_x")[n], rotated.column("glabella_y")[n]),
                               chin: Point(rotated.column("chin_x")[n], rotated.column("chin_y")[n]))
            let xs = (0..<68).map { rotated.column("x_\($0)")[n] }, ys = (0..<68).map { rotated.column("y_\($0)")[n] }
            let asym = try Symmetry.asymmetry(frames[n].image, about: line, box: (Int(xs.min()!), Int(ys.min()!), Int(xs.max()!) + 1, Int(ys.max()!) + 1))
            print("default encoder, frame \(n): asymmetry \(asym) grey levels")
            XCTAssertLessThanOrEqual(asym, 3.5)
        }
        let base = try sampleRun().table
        XCTAssertEqual(rotated.rows.count, base.rows.count)
        var errors: [Double] = []
        for i in 0..<68 {
            for (a, b) in zip(rotated.point(i), base.point(i)) { errors.append(hypot(a.x - b.x, a.y - b.y)) }
        }
        print("phone-rotated copy vs original: median \(Fixtures.median(errors)) px")
        XCTAssertLessThanOrEqual(Fixtures.median(errors), 1.0)
    }

    func testAClipWithoutAFaceWritesItsCSVsButNoMirroredVideos() throws {
        let dir = try Fixtures.scratch(self)
        let clip = dir.appendingPathComponent("noface.mkv").path
        try Fixtures.ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=1", "-f", "lavfi", "-i",
                             "sine=frequency=300:duration=1", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "libopus", clip])
        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let log = CapturedLog()
        let options = ProcessOptions(outputDirectory: out)
        let summary = try VideoProcessor.dlibDefault(logger: Logger(label: "test") { _ in log }).process(clip, options: options)
        XCTAssertEqual(summary.frames, 25)
        XCTAssertEqual(summary.framesWithFace, 0)
        XCTAssertEqual(summary.failures.map(\.name), ["no face detected"])
        let t = try LandmarkTable(path: out.appendingPathComponent("noface_landmarks.csv").path)
        XCTAssertEqual(t.rows.count, 25)
        XCTAssertEqual(Set(t.column("success")), [0])
        XCTAssertTrue(t.column("x_30").allSatisfy(\.isNaN))
        XCTAssertTrue(t.column("yaw").allSatisfy(\.isNaN))
        // Nothing was mirrored, so no "mirrored" videos: the rest is written, and a warning names the file.
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: out.path))
        XCTAssertEqual(names, Set([OutputNames.debug, OutputNames.landmarks, OutputNames.asymmetry, OutputNames.asymmetrySummary,
                                   OutputNames.reportText, OutputNames.reportJSON, OutputNames.provenance,
                                   OutputNames.timeline, OutputNames.exam, OutputNames.examJSON].map { "noface" + $0 }))
        // The exam says why it has no movement rather than giving zeros.
        XCTAssertEqual(summary.exam?.movements.count, 0)
        XCTAssertEqual(summary.exam?.noMovement, "too few frames with a measured face (0) to find movements")
        let asymmetry = try LandmarkTable(path: out.appendingPathComponent("noface_asymmetry.csv").path)
        XCTAssertEqual(asymmetry.rows.count, 25)
        XCTAssertTrue(asymmetry.column("mouth_index").allSatisfy(\.isNaN), "NaN without a face")
        XCTAssertEqual(Set(summary.outputs.map { URL(fileURLWithPath: $0).lastPathComponent }), names)
        XCTAssertTrue(log.messages.contains { $0.hasPrefix("warning") && $0.contains("noface.mkv: no face in any of its 25 frames") }, "\(log.messages)")
        // The debug video shows every frame, with its audio.
        let (info, frames) = try Fixtures.frames(out.appendingPathComponent("noface_debug.mp4").path)
        XCTAssertEqual(frames.count, 25)
        XCTAssertTrue(info.hasAudio, "Opus audio copied into MP4")
    }

    /// PCM audio (an AVI, a camera's MOV) cannot go into MP4 as it is: it is re-encoded as AAC, same
    /// rate and channels, as long as the video, its tone where it was.
    func testPCMAudioIsReencodedAsAAC() throws {
        let dir = try Fixtures.scratch(self)
        let clip = dir.appendingPathComponent("pcm.avi").path
        try Fixtures.ffmpeg(["-i", try Fixtures.sample(), "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=2.002",
                             "-map", "0:v", "-map", "1:a", "-ac", "2", "-c:v", "mjpeg", "-q:v", "3", "-c:a", "pcm_s16le", clip])
        var options = ProcessOptions(outputDirectory: dir.appendingPathComponent("out"))
        options.debugVideo = false
        try FileManager.default.createDirectory(at: options.outputDirectory, withIntermediateDirectories: true)
        let log = CapturedLog()
        _ = try VideoProcessor.dlibDefault(logger: Logger(label: "test") { _ in log }).process(clip, options: options)
        XCTAssertFalse(log.messages.contains { $0.contains("has no audio") }, "\(log.messages)")
        let mirrored = options.outputDirectory.appendingPathComponent("pcm_left_mirrored.mp4").path
        let probe = try Fixtures.run("/usr/bin/ffprobe", ["-v", "error", "-select_streams", "a", "-show_entries",
                                                          "stream=codec_name,sample_rate,channels,duration", "-of", "csv=p=0", mirrored])
        let fields = probe.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",").map(String.init)
        XCTAssertEqual(Array(fields.prefix(3)), ["aac", "44100", "2"], probe.stdout)
        XCTAssertEqual(Double(fields.last ?? "") ?? 0, 2.002, accuracy: 0.05, "as long as the input's audio: \(probe.stdout)")
        // The tone survives: ffmpeg's own decoder finds its level where the sine's is (−3 dB RMS for full scale ≈ −21 dB here).
        let stats = try Fixtures.run("/usr/bin/ffmpeg", ["-v", "info", "-i", mirrored, "-map", "0:a", "-af", "astats=metadata=0", "-f", "null", "-"])
        let input = try Fixtures.run("/usr/bin/ffmpeg", ["-v", "info", "-i", clip, "-map", "0:a", "-af", "astats=metadata=0", "-f", "null", "-"])
        func rms(_ text: String) -> Double? {
            text.split(separator: "\n").last { $0.contains("RMS level dB") }.flatMap { Double($0.split(separator: ":").last!.trimmingCharacters(in: .whitespaces)) }
        }
        let got = try XCTUnwrap(rms(stats.stderr), stats.stderr), expected = try XCTUnwrap(rms(input.stderr), input.stderr)
        XCTAssertEqual(got, expected, accuracy: 0.5, "RMS level in dB")
    }

    func testLargestOfSeveralFacesIsFollowedAndReported() throws {
        let dir = try Fixtures.scratch(self)
        let clip = dir.appendingPathComponent("two.mp4").path
        // The photo at full size on the left, a 60 % copy on the right, for 10 frames.
        try Fixtures.ffmpeg(["-f", "lavfi", "-i", "color=c=gray:s=1280x720:r=25:d=0.4", "-i", Fixtures.photo, "-i", Fixtures.photo,
                             "-filter_complex", "[2]scale=308:360[small];[0][1]overlay=60:60[a];[a][small]overlay=850:200",
                             "-frames:v", "10", "-c:v", "libx264", "-pix_fmt", "yuv420p", clip])
        let log = CapturedLog()
        let logger = Logger(label: "test") { _ in log }
        var options = ProcessOptions(outputDirectory: dir.appendingPathComponent("out"))
        options.debugVideo = false
        try FileManager.default.createDirectory(at: options.outputDirectory, withIntermediateDirectories: true)
        let summary = try VideoProcessor.dlibDefault(logger: logger).process(clip, options: options)
        XCTAssertEqual(summary.framesWithFace, 10)
        XCTAssertTrue(log.messages.contains { $0.hasPrefix("warning") && $0.contains("2 faces found, following the largest") },
                      "\(log.messages)")
        let t = try LandmarkTable(path: options.outputDirectory.appendingPathComponent("two_landmarks.csv").path)
        XCTAssertTrue(t.column("x_30").allSatisfy { $0 > 60 && $0 < 60 + 512 }, "the nose is on the large face")
        let (info, _) = try Fixtures.frames(options.outputDirectory.appendingPathComponent("two_left_mirrored.mp4").path)
        XCTAssertFalse(info.hasAudio, "no audio in, none out")
    }

    func testVariableFrameRateTimestampsAreKept() throws {
        let dir = try Fixtures.scratch(self)
        let clip = dir.appendingPathComponent("vfr.mkv").path
        // Every fourth frame dropped and the gaps kept: irregular frame intervals.
        try Fixtures.ffmpeg(["-i", try Fixtures.sample(), "-vf", "select='not(eq(mod(n\\,4)\\,1))'", "-fps_mode", "vfr",
                             "-frames:v", "24", "-c:v", "libx264", "-an", clip])
        let input = try Fixtures.timestamps(clip)
        let gaps = Set(zip(input.dropFirst(), input).map { (($0 - $1) * 1000).rounded() })
        XCTAssertGreaterThan(gaps.count, 1, "the clip really has irregular intervals: \(gaps)")
        let out = dir.appendingPathComponent("out")
        _ = try process(clip, into: out)
        for suffix in [OutputNames.rightMirrored, OutputNames.debug] {
            let output = try Fixtures.timestamps(out.appendingPathComponent("vfr" + suffix).path)
            XCTAssertEqual(output.count, input.count)
            for (a, b) in zip(output, input) { XCTAssertEqual(a, b, accuracy: 1e-6) }
        }
        let t = try LandmarkTable(path: out.appendingPathComponent("vfr_landmarks.csv").path)
        for (a, b) in zip(t.column("timestamp"), input) { XCTAssertEqual(a, b, accuracy: 1e-6) }
    }

    func testEveryTerminatingSignalLeavesNoFiles() throws {
        let cli = Fixtures.cli()
        let dir = try Fixtures.scratch(self)
        let clip = dir.appendingPathComponent("long.mp4").path
        try Fixtures.ffmpeg(["-stream_loop", "9", "-i", try Fixtures.sample(), "-c", "copy", clip])
        for sig in [SIGINT, SIGTERM, SIGQUIT, SIGXCPU] {
            let out = dir.appendingPathComponent("out\(sig)")
            let p = Process()
            p.executableURL = URL(fileURLWithPath: cli)
            p.arguments = ["process", clip, "-o", out.path]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            // Wait until the outputs are being written, then send the signal.
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline, ((try? Fixtures.outputNames(in: out.path)) ?? []).isEmpty {
                Thread.sleep(forTimeInterval: 0.05)
            }
            Thread.sleep(forTimeInterval: 0.3)
            XCTAssertTrue(p.isRunning, "still working when signalled")
            kill(p.processIdentifier, sig)
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 128 + sig, "signal \(sig)")
            XCTAssertEqual(try Fixtures.outputNames(in: out.path), [], "signal \(sig): no partial or final files remain")
        }
    }

    func testBadInputsLeaveNoOutputs() throws {
        let dir = try Fixtures.scratch(self)
        let out = dir.appendingPathComponent("out")
        let empty = dir.appendingPathComponent("empty.mp4").path
        XCTAssertTrue(FileManager.default.createFile(atPath: empty, contents: Data()))
        let text = dir.appendingPathComponent("notes.mp4").path
        try "not a video".write(toFile: text, atomically: true, encoding: .utf8)
        let truncated = try Truncated.copy(of: try Fixtures.sample(), in: dir)
        for (video, words) in [(empty, "empty"), (text, "not a readable video"), (truncated, "truncated")] {
            XCTAssertThrowsError(try process(video, into: out)) { error in
                XCTAssertTrue("\(error)".hasPrefix(video), "names the file: \(error)")
                XCTAssertTrue("\(error)".contains(words), "\(error)")
            }
            XCTAssertEqual(try Fixtures.outputNames(in: out.path), [], "nothing left for \(video)")
        }
    }

    func testExistingOutputsAreKeptUnlessOverwriteIsGiven() throws {
        let dir = try Fixtures.scratch(self)
        let clip = dir.appendingPathComponent("short.mp4").path
        try Fixtures.ffmpeg(["-i", try Fixtures.sample(), "-frames:v", "8", "-c:v", "libx264", "-c:a", "copy", clip])
        let out = dir.appendingPathComponent("out")
        _ = try process(clip, into: out)
        let csv = out.appendingPathComponent("short_landmarks.csv").path
        try "kept".write(toFile: csv, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try process(clip, into: out)) { XCTAssertTrue("\($0)".contains("--overwrite"), "\($0)") }
        XCTAssertEqual(try String(contentsOfFile: csv, encoding: .utf8), "kept")
        let summary = try process(clip, into: out, overwrite: true)
        XCTAssertEqual(summary.frames, 8)
        XCTAssertEqual(try LandmarkTable(path: csv).rows.count, 8)
    }

    func testCommandLineReportsBadFilesAndGoesOn() throws {
        let cli = Fixtures.cli()
        guard FileManager.default.isExecutableFile(atPath: cli) else {
            return XCTFail("facemirror executable not built at \(cli)")
        }
        let dir = try Fixtures.scratch(self)
        let empty = dir.appendingPathComponent("empty.mp4").path
        XCTAssertTrue(FileManager.default.createFile(atPath: empty, contents: Data()))
        let clip = dir.appendingPathComponent("good.mp4").path
        try Fixtures.ffmpeg(["-i", try Fixtures.sample(), "-frames:v", "10", "-c:v", "libx264", "-c:a", "copy", clip])
        let out = dir.appendingPathComponent("out").path
        let r = try Fixtures.run(cli, ["process", empty, dir.appendingPathComponent("missing.mov").path, clip, "-o", out, "--no-debug-video"], allowFailure: true)
        XCTAssertEqual(r.status, 1, "non-zero exit when a file failed")
        XCTAssertTrue(r.stderr.contains("\(empty): the file is empty"), r.stderr)
        XCTAssertTrue(r.stderr.contains("missing.mov: no such file"), r.stderr)
        XCTAssertTrue(r.stdout.contains("good.mp4: 10 frames, face found in 10 of 10 frames"), r.stdout)
        XCTAssertFalse(r.stdout.contains("pipeline FPS"), "the timing table only with -v")
        XCTAssertTrue(r.stdout.contains("3 videos: 1 done, 2 failed"), r.stdout)
        XCTAssertTrue(r.stdout.contains("  failed: \(empty): the file is empty\n"), "the path once: \(r.stdout)")
        let names = Set(try Fixtures.outputNames(in: out))
        XCTAssertEqual(names, Set((OutputNames.all(debugVideo: false) + [OutputNames.report]).filter { $0 != OutputNames.examStills }.map { "good" + $0 }), "the good file after the bad ones was processed")
        // Again with the same settings: the study's state says it is done (with --no-debug-video); without
        // that option the settings differ, so it is redone, its outputs replaced.
        let again = try Fixtures.run(cli, ["process", clip, "-o", out, "--no-debug-video"])
        XCTAssertTrue(again.stdout.contains("good.mp4: skipped, done before with the same input, options and models"), again.stdout)
        let changed = try Fixtures.run(cli, ["process", clip, "-o", out])
        XCTAssertTrue(changed.stdout.contains("good.mp4: again, the settings or models changed"), changed.stdout)
        XCTAssertTrue(try Fixtures.outputNames(in: out).contains("good_debug.mp4"))
        // Back to no debug video: the one the other setting wrote goes, so the folder holds one setting's files.
        try Fixtures.run(cli, ["process", clip, "-o", out, "--no-debug-video"])
        XCTAssertEqual(Set(try Fixtures.outputNames(in: out)), names)
        let help = try Fixtures.run(cli, ["process", "--help"])
        XCTAssertTrue(help.stdout.contains("--no-debug-video"))
        // An output folder below a file: one line naming what is in the way.
        let below = try Fixtures.run(cli, ["process", clip, "-o", "\(empty)/sub/dir"], allowFailure: true)
        XCTAssertEqual(below.status, 1)
        XCTAssertEqual(below.stderr, "facemirror: error: \(empty)/sub/dir: cannot write (cannot create the output folder: \(empty) is a file, not a folder)\n")
        // A folder without videos.
        let emptyFolder = dir.appendingPathComponent("nothing here")
        try FileManager.default.createDirectory(at: emptyFolder, withIntermediateDirectories: true)
        let folder = try Fixtures.run(cli, ["process", emptyFolder.path, "-o", out], allowFailure: true)
        XCTAssertEqual(folder.status, 1)
        XCTAssertTrue(folder.stderr.contains("no videos found in \(emptyFolder.path)"), folder.stderr)
        XCTAssertFalse(folder.stdout.contains("failed"), "a folder without videos is not a failed video: \(folder.stdout)")
    }

    /// A stream-copy trim (what a phone's or an editor's "trim" writes) is processed as it plays: the
    /// frames its edit list hides are neither outputs nor counted as missing.
    func testATrimmedClipIsProcessedAsItPlays() throws {
        let dir = try Fixtures.scratch(self)
        let trimmed = try PhoneClips.make(from: try Fixtures.sample(), in: dir, only: ["trimmed.mp4"]).appendingPathComponent("trimmed.mp4").path
        let played = try PhoneClips.framesFFmpegPresents(trimmed)
        let out = dir.appendingPathComponent("out").path
        let r = try Fixtures.run(Fixtures.cli(), ["process", trimmed, "-o", out, "--au", "none"])
        XCTAssertTrue(r.stdout.contains("trimmed.mp4: \(played) frames, face found in \(played) of \(played) frames"), r.stdout)
        XCTAssertEqual(try LandmarkTable(path: "\(out)/trimmed_landmarks.csv").rows.count, played)
        XCTAssertEqual(try Fixtures.timestamps("\(out)/trimmed_right_mirrored.mp4").count, played)
    }

    /// A camera's MOV (timecode track, PCM audio), a MOV with a timed metadata track (`mebx`), 120 and 240 fps
    /// slow motion and 4K 60 fps portrait: the video stream is the one processed, every frame presented is there
    /// at its own time, the audio comes along.
    func testCameraSlowMotionAnd4KPortraitFiles() throws {
        let dir = try Fixtures.scratch(self)
        let clips = try PhoneClips.make(from: try Fixtures.sample(), in: dir, only: ["camera.mov", "mebx.mov", "slowmo_120.mp4", "slowmo_240.mp4", "portrait_4k60.mp4"])
        let tracks = try Fixtures.run("/usr/bin/ffprobe", ["-v", "error", "-show_entries", "stream=codec_type,codec_tag_string", "-of", "csv=p=0",
                                                           clips.appendingPathComponent("mebx.mov").path]).stdout
        XCTAssertEqual(tracks.split(separator: "\n"), ["video,avc1", "audio,mp4a", "data,mebx"], "the metadata track is there")
        let out = dir.appendingPathComponent("out").path
        for (name, size) in [("camera.mov", "1280x720"), ("mebx.mov", "1280x720"), ("slowmo_120.mp4", "1280x720"), ("slowmo_240.mp4", "1280x720"), ("portrait_4k60.mp4", "2160x3840")] {
            let clip = clips.appendingPathComponent(name).path
            let presented = try PhoneClips.framesFFmpegPresents(clip)
            let r = try Fixtures.run(Fixtures.cli(), ["process", clip, "-o", out, "--au", "none", "--no-report"])
            XCTAssertTrue(r.stdout.contains("\(name): \(presented) frames, face found in \(presented) of \(presented) frames"), r.stdout)
            let stem = (name as NSString).deletingPathExtension
            let mirrored = "\(out)/\(stem)_left_mirrored.mp4"
            let (written, read) = (try Fixtures.timestamps(mirrored), try Fixtures.timestamps(clip))
            XCTAssertEqual(written.count, read.count, name)
            XCTAssertLessThan(zip(written, read).map { abs($0 - $1) }.max() ?? 1, 0.001, "\(name): the input's frame times")
            let probe = try Fixtures.run("/usr/bin/ffprobe", ["-v", "error", "-show_entries", "stream=codec_type,codec_name,width,height",
                                                              "-of", "csv=p=0", mirrored])
            let streams = probe.stdout.split(separator: "\n").map(String.init)
            XCTAssertEqual(streams.first, "h264,video,\(size.replacingOccurrences(of: "x", with: ","))", "\(name): upright, full size")
            XCTAssertEqual(streams.count, 2, "\(name): video and audio, no data track: \(probe.stdout)")
            XCTAssertEqual(streams.last, "aac,audio", name)
        }
        // The debug video of the 4K file is scaled to 1920 on its longer side.
        let debug = try Fixtures.run("/usr/bin/ffprobe", ["-v", "error", "-select_streams", "v", "-show_entries", "stream=width,height",
                                                          "-of", "csv=p=0", "\(out)/portrait_4k60_debug.mp4"])
        XCTAssertEqual(debug.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "1080,1920")
    }

    /// HDR as phones record it (HEVC 10-bit, HLG, BT.2020) and as HDR10 exports it (PQ): converted to SDR
    /// BT.709 as it is read, so the face is found where it is in the SDR clip with about its brightness,
    /// and the mirrored videos are tagged as the SDR they hold.
    func testHLGAndPQClipsAreReadAsSDR() throws {
        let dir = try Fixtures.scratch(self)
        let sdr = try Fixtures.sample()
        let clips = try PhoneClips.make(from: sdr, in: dir, only: ["hlg.mp4", "pq.mp4"])
        let hlg = clips.appendingPathComponent("hlg.mp4").path, pq = clips.appendingPathComponent("pq.mp4").path
        XCTAssertEqual(try VideoReader(path: hlg).info.hdrTransfer, "HLG")
        XCTAssertEqual(try VideoReader(path: pq).info.hdrTransfer, "PQ")
        XCTAssertNil(try VideoReader(path: sdr).info.hdrTransfer)
        var tables: [LandmarkTable] = []
        for clip in [sdr, hlg, pq] {
            let out = dir.appendingPathComponent("out-" + (clip as NSString).lastPathComponent)
            var options = ProcessOptions(outputDirectory: out)
            options.debugVideo = false
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            let summary = try VideoProcessor.dlibDefault(logger: Fixtures.logger).process(clip, options: options)
            XCTAssertEqual(summary.framesWithFace, 60, clip)
            tables.append(try LandmarkTable(path: out.appendingPathComponent(OutputNames.stem(of: clip) + OutputNames.landmarks).path))
        }
        func medianDistance(_ a: LandmarkTable, _ b: LandmarkTable) -> Double {
            var distances: [Double] = []
            for i in 0..<68 {
                let (ax, ay, bx, by) = (a.column("x_\(i)"), a.column("y_\(i)"), b.column("x_\(i)"), b.column("y_\(i)"))
                for f in 0..<60 { distances.append(((ax[f] - bx[f]) * (ax[f] - bx[f]) + (ay[f] - by[f]) * (ay[f] - by[f])).squareRoot()) }
            }
            return Statistics.percentile(distances, 50)
        }
        let (hlgDistance, pqDistance) = (medianDistance(tables[0], tables[1]), medianDistance(tables[0], tables[2]))
        print("HDR: landmarks a median \(hlgDistance) px (HLG) and \(pqDistance) px (PQ) from the SDR clip's")
        XCTAssertLessThan(hlgDistance, 1, "HLG landmarks where the SDR clip's are (px)")
        XCTAssertLessThan(pqDistance, 1.5, "PQ landmarks where the SDR clip's are (px)")
        // Mean luma over the face (the landmarks' bounds on the first frame), HDR against SDR.
        let xs = (0..<68).map { tables[0].column("x_\($0)")[0] }, ys = (0..<68).map { tables[0].column("y_\($0)")[0] }
        func faceLuma(_ path: String) throws -> Double {
            let image = try XCTUnwrap(try VideoReader(path: path).next()).image
            var sum = 0.0, n = 0.0
            for y in stride(from: Int(ys.min()!), to: Int(ys.max()!), by: 2) {
                for x in stride(from: Int(xs.min()!), to: Int(xs.max()!), by: 2) { sum += image.grey(x: x, y: y); n += 1 }
            }
            return sum / n
        }
        let sdrLuma = try faceLuma(sdr)
        for clip in [hlg, pq] {
            let luma = try faceLuma(clip)
            print("HDR: face luma \(luma) (\((clip as NSString).lastPathComponent)) against \(sdrLuma) (SDR)")
            XCTAssertEqual(luma / sdrLuma, 1, accuracy: 0.1, "face luma \(clip) \(luma) against SDR \(sdrLuma)")
            let probe = try Fixtures.run("/usr/bin/ffprobe", ["-v", "error", "-select_streams", "v", "-show_entries",
                                                              "stream=color_transfer,color_primaries", "-of", "csv=p=0",
                                                              dir.appendingPathComponent("out-\((clip as NSString).lastPathComponent)/\(OutputNames.stem(of: clip))_left_mirrored.mp4").path])
            XCTAssertEqual(probe.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "bt709,bt709", "tagged as the SDR it holds")
        }
    }

    /// Variable frame rate (frames dropped unevenly) with B-frames, trimmed by stream copy (an edit list):
    /// every frame ffmpeg presents is processed at the time ffmpeg gives it, and the mirrored video keeps
    /// those times.
    func testAVariableFrameRateClipWithAnEditListKeepsItsTimes() throws {
        let dir = try Fixtures.scratch(self)
        let clip = try PhoneClips.make(from: try Fixtures.sample(), in: dir, only: ["vfr_editlist.mp4"]).appendingPathComponent("vfr_editlist.mp4").path
        let presented = try PhoneClips.framesFFmpegPresents(clip)
        let probe = try Fixtures.run("/usr/bin/ffprobe", ["-v", "error", "-select_streams", "v", "-show_entries",
                                                          "frame=best_effort_timestamp_time", "-of", "csv=p=0", clip])
        let times = probe.stdout.split(separator: "\n").compactMap { Double($0.trimmingCharacters(in: CharacterSet(charactersIn: ", "))) }
        XCTAssertEqual(times.count, presented)
        let gaps = Set(zip(times.dropFirst(), times).map { Int((($0 - $1) * 30).rounded()) })
        XCTAssertGreaterThan(gaps.count, 1, "uneven frame times: \(times)")
        let out = dir.appendingPathComponent("out").path
        let r = try Fixtures.run(Fixtures.cli(), ["process", clip, "-o", out, "--au", "none", "--no-report"])
        XCTAssertTrue(r.stdout.contains("vfr_editlist.mp4: \(presented) frames, face found in \(presented) of \(presented) frames"), r.stdout)
        let csv = try LandmarkTable(path: "\(out)/vfr_editlist_landmarks.csv").column("timestamp")
        XCTAssertEqual(csv.count, presented)
        XCTAssertLessThan(zip(csv, times).map { abs($0 - $1) }.max() ?? 1, 0.001, "the CSV's times are ffmpeg's")
        let written = try Fixtures.timestamps("\(out)/vfr_editlist_left_mirrored.mp4")
        XCTAssertEqual(written.count, presented)
        XCTAssertLessThan(zip(written, times).map { abs($0 - $1) }.max() ?? 1, 0.001, "the mirrored video's times are the input's")
    }

    /// A portrait phone clip with a small face (~53 px, under HOG's 80-px window at the size the usual
    /// search looks at): the thorough search (full size, one pyramid-up step) finds it, and it is followed.
    func testASmallFaceInAPortraitClipIsFound() throws {
        let dir = try Fixtures.scratch(self)
        let clip = try PhoneClips.make(from: try Fixtures.sample(), in: dir, only: ["small_face_portrait.mp4"]).appendingPathComponent("small_face_portrait.mp4").path
        var options = ProcessOptions(outputDirectory: dir.appendingPathComponent("out"))
        options.debugVideo = false
        try FileManager.default.createDirectory(at: options.outputDirectory, withIntermediateDirectories: true)
        let summary = try VideoProcessor.dlibDefault(logger: Fixtures.logger).process(clip, options: options)
        XCTAssertEqual(summary.frames, 120)
        XCTAssertGreaterThanOrEqual(summary.framesWithFace, 108, "a face in at least 90 % of the frames")
        XCTAssertTrue(summary.report.stages.contains { $0.name == "detect_small" }, "found by the thorough search")
        let t = try LandmarkTable(path: options.outputDirectory.appendingPathComponent("small_face_portrait_landmarks.csv").path)
        let widths = (0..<t.rows.count).map { t.column("x_16")[$0] - t.column("x_0")[$0] }.filter(\.isFinite)
        XCTAssertLessThan(Statistics.percentile(widths, 50), 80, "the face really is small")
    }

    /// The same content at full, half and quarter size gives the same head yaw (within 1°): the dlib
    /// model fits from the box it wants, not from the detector's, whose search steps depend on the size.
    func testHeadYawDoesNotDependOnTheFrameSize() throws {
        let dir = try Fixtures.scratch(self)
        let sample = try Fixtures.sample()
        var yaws: [Int: (median: Double, medianAbs: Double)] = [:]
        for divisor in [1, 2, 4] {
            let clip = dir.appendingPathComponent("size\(divisor).mp4").path
            try Fixtures.ffmpeg(["-i", sample, "-vf", "scale=iw/\(divisor):ih/\(divisor)", "-c:v", "libx264", "-crf", "18", clip])
            var options = ProcessOptions(outputDirectory: dir.appendingPathComponent("out\(divisor)"))
            options.debugVideo = false
            try FileManager.default.createDirectory(at: options.outputDirectory, withIntermediateDirectories: true)
            let summary = try VideoProcessor.dlibDefault(logger: Fixtures.logger).process(clip, options: options)
            XCTAssertEqual(summary.framesWithFace, 60, "size 1/\(divisor)")
            let yaw = try LandmarkTable(path: options.outputDirectory.appendingPathComponent("size\(divisor)_landmarks.csv").path)
                .column("yaw").filter(\.isFinite)
            yaws[divisor] = (Statistics.percentile(yaw, 50), Statistics.percentile(yaw.map(abs), 50))
        }
        for divisor in [2, 4] {
            XCTAssertEqual(yaws[divisor]!.median, yaws[1]!.median, accuracy: 1, "median yaw at 1/\(divisor) size: \(yaws)")
            XCTAssertEqual(yaws[divisor]!.medianAbs, yaws[1]!.medianAbs, accuracy: 1, "median |yaw| at 1/\(divisor) size: \(yaws)")
        }
    }

    /// One vocabulary and one form for what the tool says: a video without a face is "no face" in the
    /// run's summary and the JSON log (as in `study status` and the index), warnings read like the other
    /// lines, counts agree in number, and an output folder that cannot be made says why.
    func testMessagesSayTheSameThingsTheSameWay() throws {
        let dir = try Fixtures.scratch(self)
        let good = try Fixtures.sampleClip(frames: 6, in: dir, name: "good.mp4", fast: true)
        let wall = dir.appendingPathComponent("wall.mp4").path
        try Fixtures.ffmpeg(["-f", "lavfi", "-i", "color=c=gray:s=320x240:r=25:d=0.4", "-c:v", "libx264", "-preset", "ultrafast", wall])
        let log = dir.appendingPathComponent("events.jsonl")
        let r = try Fixtures.run(Fixtures.cli(), ["process", good, wall, "-o", dir.appendingPathComponent("out").path, "--au", "none",
                                                  "--json-log", log.path])
        XCTAssertTrue(r.stdout.contains("2 videos: 1 done, 1 no face, 0 failed"), r.stdout)
        XCTAssertTrue(r.stdout.contains("(detector ran 1 time)"), r.stdout)
        XCTAssertTrue(r.stderr.contains("facemirror: warning: \(wall): no face in any of its 10 frames"), r.stderr)
        let events = try String(contentsOf: log, encoding: .utf8).split(separator: "\n")
            .compactMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let finished = Dictionary(uniqueKeysWithValues: events.filter { $0["event"] as? String == "finished" }
            .map { (URL(fileURLWithPath: $0["video"] as! String).lastPathComponent, $0["status"] as? String) })
        XCTAssertEqual(finished, ["good.mp4": "done", "wall.mp4": "no face"])
        let proc = try Fixtures.run(Fixtures.cli(), ["process", good, "-o", "/proc/facemirror-test"], allowFailure: true)
        XCTAssertEqual(proc.status, 1)
        XCTAssertTrue(proc.stderr.contains("cannot create the output folder: /proc does not take new folders"), proc.stderr)
    }

    func testATruncatedFileFailsUnlessAllowed() throws {
        let dir = try Fixtures.scratch(self)
        let mkv = dir.appendingPathComponent("whole.mkv").path
        try Fixtures.ffmpeg(["-i", try Fixtures.sample(), "-c", "copy", mkv])
        let data = try Data(contentsOf: URL(fileURLWithPath: mkv))
        let half = dir.appendingPathComponent("half.mkv").path
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: half))
        let out = dir.appendingPathComponent("out").path
        let refused = try Fixtures.run(Fixtures.cli(), ["process", half, "-o", out, "--no-debug-video"], allowFailure: true)
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("\(half): the file is truncated or damaged"), refused.stderr)
        XCTAssertEqual(try Fixtures.outputNames(in: out), [])
        let kept = try Fixtures.run(Fixtures.cli(), ["process", half, "-o", out, "--no-debug-video", "--allow-truncated"])
        XCTAssertTrue(kept.stderr.contains("truncated or damaged") && kept.stderr.contains("kept the"), kept.stderr)
        let rows = try LandmarkTable(path: dir.appendingPathComponent("out/half_landmarks.csv").path).rows.count
        XCTAssertTrue((1..<60).contains(rows), "\(rows) rows: what decoded")
    }

    func testFFmpegsOwnMessagesAreHiddenAndCountedUnlessVerbose() throws {
        let dir = try Fixtures.scratch(self)
        // The sample with a few stretches of its picture data zeroed: the container is whole, frames are damaged.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: try Fixtures.sample()))
        for k in 0..<5 {
            let at = bytes.count / 3 + k * 20_000
            bytes.replaceSubrange(at..<(at + 400), with: Data(count: 400))
        }
        let damaged = dir.appendingPathComponent("damaged.mp4").path
        try bytes.write(to: URL(fileURLWithPath: damaged))
        let out = dir.appendingPathComponent("out").path
        let quiet = try Fixtures.run(Fixtures.cli(), ["process", damaged, "-o", out, "--no-debug-video"])
        XCTAssertFalse(quiet.stderr.contains("[h264 @"), "FFmpeg's lines are hidden: \(quiet.stderr)")
        let count = quiet.stderr.split(separator: "\n").filter { $0.contains("damaged.mp4: FFmpeg reported") }
        XCTAssertEqual(count.count, 1, "one line says how many: \(quiet.stderr)")
        XCTAssertTrue(count.first?.contains("errors while reading it (damaged data; -v shows them)") ?? false, quiet.stderr)
        let verbose = try Fixtures.run(Fixtures.cli(), ["process", damaged, "-o", out, "--no-debug-video", "--redo", "all", "-v"])
        XCTAssertTrue(verbose.stderr.contains("[h264 @"), "with -v they are shown: \(verbose.stderr.prefix(2000))")
        // Beside a clean video in a second job: the count is still this video's own, and the clean one has none.
        let study = dir.appendingPathComponent("study")
        try FileManager.default.createDirectory(at: study, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: damaged, toPath: study.appendingPathComponent("damaged.mp4").path)
        _ = try Fixtures.sampleClip(frames: 60, in: study, name: "clean.mp4", fast: true)
        let both = try Fixtures.run(Fixtures.cli(), ["process", study.path, "-o", dir.appendingPathComponent("both").path,
                                                     "--no-debug-video", "--jobs", "2"])
        let lines = both.stderr.split(separator: "\n").filter { $0.contains("FFmpeg reported") }
        XCTAssertEqual(lines.count, 1, both.stderr)
        XCTAssertEqual(lines.first.map { String($0.split(separator: ":").last ?? "") }, count.first.map { String($0.split(separator: ":").last ?? "") },
                       "the same count as alone")
        XCTAssertTrue(lines.first?.contains("damaged.mp4") ?? false, both.stderr)
    }

    func testAnOddSizeIsPaddedNotCroppedAndThePixelAspectIsKept() throws {
        let dir = try Fixtures.scratch(self)
        let odd = dir.appendingPathComponent("odd.mp4").path
        // 641×481 with 4:3 pixels (4:4:4, since 4:2:0 cannot have an odd size).
        try Fixtures.ffmpeg(["-i", try Fixtures.sample(), "-frames:v", "6", "-vf", "scale=641:481,setsar=4/3", "-c:v", "libx264",
                             "-pix_fmt", "yuv444p", "-c:a", "copy", odd])
        let (info, input) = try Fixtures.frames(odd)
        XCTAssertEqual(info.sampleAspectRatio, Rational(4, 3))
        let out = dir.appendingPathComponent("out")
        let summary = try process(odd, into: out, encoder: EncoderSettings(preset: .ultrafast, crf: 0))
        XCTAssertEqual(summary.frames, 6)
        for suffix in [OutputNames.rightMirrored, OutputNames.debug] {
            let path = out.appendingPathComponent("odd" + suffix).path
            let probe = try Fixtures.run("/usr/bin/ffprobe", ["-v", "error", "-select_streams", "v", "-show_entries",
                                                              "stream=width,height,sample_aspect_ratio", "-of", "csv=p=0", path])
            XCTAssertEqual(probe.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "642,482,4:3", suffix)
        }
        // Every input pixel is kept where it was; the added column and row repeat the last ones.
        let debugFrames = try Fixtures.frames(out.appendingPathComponent("odd_debug.mp4").path).frames
        let a = input[3].image, b = debugFrames[3].image
        var inside = 0.0, edge = 0.0
        for y in stride(from: 300, to: 481, by: 2) {
            for x in stride(from: 0, to: 80, by: 2) { inside += abs(a.grey(x: x, y: y) - b.grey(x: x, y: y)) }
            edge += abs(b.grey(x: 641, y: y) - b.grey(x: 640, y: y))
        }
        XCTAssertLessThan(inside / Double(91 * 40), 2, "the picture is not moved or scaled")
        XCTAssertLessThan(edge / 91, 3, "the extra column copies the last")
    }

    func testSharedPhoneClipFindsTheUprightFace() throws {
        let clip = try Fixtures.requireShared(file: "testdata/facetest_phone90.mp4", "the phone-recorded clip is not available")
        let dir = try Fixtures.scratch(self)
        let summary = try process(clip, into: dir)
        XCTAssertEqual(summary.frames, 90)
        let t = try LandmarkTable(path: dir.appendingPathComponent("facetest_phone90_landmarks.csv").path)
        XCTAssertEqual(Set(t.column("success")), [1], "upright face found in every frame")
        // Eye centres and nose tip against the clip's known points (facetest_frames.csv: the photo's eye and
        // nose points moved by each frame's transform; the upright phone picture is the landscape one moved
        // by (−280, +280)).
        let truth = try String(contentsOfFile: try Fixtures.requireShared(file: "testdata/facetest_frames.csv", "the clip's known points"), encoding: .utf8)
            .split(whereSeparator: \.isNewline).dropFirst().map { $0.split(separator: ",").map { Double($0)! } }
        XCTAssertEqual(truth.count, 90)
        // dlib's eye-contour centres and nose tip are not defined exactly as RetinaFace's points: each kind of
        // point keeps its own constant offset, and what must follow the known motion is the rest.
        var offsets: [[(Double, Double)]] = [[], [], []]
        for n in 0..<90 {
            func mean(_ idx: ClosedRange<Int>, _ axis: String) -> Double {
                idx.map { t.column("\(axis)_\($0)")[n] }.reduce(0, +) / Double(idx.count)
            }
            let found = [(mean(36...41, "x"), mean(36...41, "y")), (mean(42...47, "x"), mean(42...47, "y")),
                         (t.column("x_30")[n], t.column("y_30")[n])]
            // The known points (the default smoothing has no lag to allow for).
            let row: [Double] = truth[n]
            let known: [(Double, Double)] = (0..<3).map { k in (row[17 + 2 * k], row[18 + 2 * k]) }
            for k in 0..<3 { offsets[k].append((found[k].0 - (known[k].0 - 280), found[k].1 - (known[k].1 + 280))) }
        }
        var residuals: [Double] = []
        for k in 0..<3 {
            let mx = Fixtures.median(offsets[k].map(\.0)), my = Fixtures.median(offsets[k].map(\.1))
            XCTAssertLessThan(hypot(mx, my), 15, "point \(k) sits where it should")
            residuals += offsets[k].map { hypot($0.0 - mx, $0.1 - my) }
        }
        print("phone clip: eyes and nose follow the known motion within median \(Fixtures.median(residuals)) px")
        XCTAssertLessThan(Fixtures.median(residuals), 2)
    }
}
