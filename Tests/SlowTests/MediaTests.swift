import FaceMirrorCore
import MediaBinding
import VisionBinding
import TestSupport
import XCTest

/// Reading and writing real encoded files with FFmpeg's libraries.
final class MediaTests: XCTestCase {
    func testSampleDecodesWithExactTimestampsAndAudio() throws {
        let (info, frames) = try Fixtures.frames(try Fixtures.sample())
        XCTAssertEqual(info.width, 1280); XCTAssertEqual(info.height, 720)
        XCTAssertEqual(info.averageFrameRate, Rational(30000, 1001), "the frame rate is not rounded")
        XCTAssertTrue(info.hasAudio)
        XCTAssertEqual(info.announcedFrameCount, Fixtures.sampleFrames)
        XCTAssertEqual(frames.count, Fixtures.sampleFrames)
        for (n, f) in frames.enumerated() {
            XCTAssertEqual(f.index, n)
            XCTAssertEqual(f.time, Fixtures.sampleTime(n), accuracy: 1e-6)
        }
    }

    func testWriterKeepsVariableTimestampsAndCopiesAudio() throws {
        let dir = try Fixtures.scratch(self)
        let path = dir.appendingPathComponent("vfr.mp4").path
        // Irregular gaps, in milliseconds.
        let pts: [Int64] = [0, 33, 50, 100, 117, 200, 233, 250, 400, 433, 467, 500, 700, 733, 767, 800]
        // The sample's audio, as the reader collects it while decoding (the input is opened once).
        let reader = try VideoReader(path: try Fixtures.sample(), keepAudio: true)
        while try reader.next() != nil {}
        let audio = try XCTUnwrap(reader.audio)
        XCTAssertEqual(audio.codecName, "aac")
        let writer = try VideoWriter(path: path, width: 320, height: 240, timeBase: Rational(1, 1000), frameRate: nil, audio: audio)
        for (i, p) in pts.enumerated() {
            var img = Image(width: 320, height: 240, fill: 60)
            try img.drawRect(x1: Double(10 * i), y1: 50, x2: Double(10 * i + 40), y2: 120, colour: .yellow, thickness: -1)
            try writer.write(img, pts: p)
        }
        try writer.finish()
        let (info, frames) = try Fixtures.frames(path)
        XCTAssertTrue(info.hasAudio, "audio stream copied")
        XCTAssertEqual(frames.count, pts.count)
        for (f, p) in zip(frames, pts) { XCTAssertEqual(f.time, Double(p) / 1000, accuracy: 1e-6) }
        // The picture survives encoding: the yellow box of frame 5 is where it was drawn.
        let px = frames[5].image.pixel(x: 70, y: 85)
        XCTAssertGreaterThan(Int(px.r), 200); XCTAssertLessThan(Int(px.b), 90)
        let probe = try Fixtures.run("/usr/bin/ffprobe", ["-v", "error", "-show_entries", "stream=codec_name", "-of", "csv=p=0", path])
        XCTAssertEqual(probe.stdout.split(separator: "\n").map(String.init), ["h264", "aac"])
        // Every audio packet of the input is in the output.
        func audioPackets(_ file: String) throws -> String {
            try Fixtures.run("/usr/bin/ffprobe", ["-v", "error", "-select_streams", "a", "-count_packets", "-show_entries",
                                                  "stream=nb_read_packets", "-of", "csv=p=0", file]).stdout
        }
        XCTAssertEqual(try audioPackets(path), try audioPackets(try Fixtures.sample()))
    }

    func testAudioIsKeptOnlyUntilItsWritersHaveIt() throws {
        let dir = try Fixtures.scratch(self)
        // AAC: held while the writer has not reached it, none left once the writer finished.
        let reader = try VideoReader(path: try Fixtures.sample(), keepAudio: true)
        let audio = try XCTUnwrap(reader.audio)
        let writer = try VideoWriter(path: dir.appendingPathComponent("a.mp4").path, width: 64, height: 48,
                                     timeBase: reader.info.timeBase, frameRate: nil, audio: audio)
        XCTAssertNil(writer.audioSkippedReason)
        audio.writersAreRegistered()
        while let frame = try reader.next() { try writer.write(Image(width: 64, height: 48), pts: frame.pts) }
        XCTAssertGreaterThan(audio.heldPackets, 0, "the audio after the encoder's last packet is still to be written")
        try writer.finish()
        XCTAssertEqual(audio.heldPackets, 0)
        // PCM, which MP4 cannot carry as it is: re-encoded as AAC, and nothing is kept once it is written.
        let avi = dir.appendingPathComponent("pcm.avi").path
        try Fixtures.ffmpeg(["-i", try Fixtures.sample(), "-frames:v", "20", "-c:v", "mpeg4", "-q:v", "4", "-c:a", "pcm_s16le", avi])
        let pcmReader = try VideoReader(path: avi, keepAudio: true)
        let pcm = try XCTUnwrap(pcmReader.audio)
        let transcoding = try VideoWriter(path: dir.appendingPathComponent("b.mp4").path, width: 64, height: 48,
                                          timeBase: pcmReader.info.timeBase, frameRate: nil, audio: pcm)
        XCTAssertNil(transcoding.audioSkippedReason)
        XCTAssertEqual(transcoding.audioNote, "pcm_s16le audio re-encoded as AAC")
        pcm.writersAreRegistered()
        while let frame = try pcmReader.next() { try transcoding.write(Image(width: 64, height: 48), pts: frame.pts) }
        try transcoding.finish()
        XCTAssertEqual(pcm.heldPackets, 0)
        // Audio that no writer copies is not kept at all.
        let unread = try VideoReader(path: avi, keepAudio: true)
        try XCTUnwrap(unread.audio).writersAreRegistered()
        while try unread.next() != nil {}
        XCTAssertEqual(unread.audio?.heldPackets, 0, "no writer copies it: nothing piles up")
        // Without keepAudio the reader keeps no audio at all.
        XCTAssertNil(try VideoReader(path: try Fixtures.sample()).audio)
    }

    func testOtherContainersAreRead() throws {
        let dir = try Fixtures.scratch(self)
        let sample = try Fixtures.sample()
        let cases: [(String, [String])] = [
            ("mkv", ["-c", "copy"]),
            ("mov", ["-c", "copy"]),
            ("avi", ["-c:v", "mpeg4", "-q:v", "4", "-c:a", "pcm_s16le"]),
        ]
        for (ext, codec) in cases {
            let path = dir.appendingPathComponent("s.\(ext)").path
            try Fixtures.ffmpeg(["-i", sample] + codec + [path])
            let t = try Fixtures.timestamps(path)
            XCTAssertEqual(t.count, Fixtures.sampleFrames, ext)
            // Matroska keeps milliseconds and starts at the first B-frame delay: compare intervals.
            for (n, time) in t.enumerated() {
                XCTAssertEqual(time - t[0], Fixtures.sampleTime(n), accuracy: 1e-3, ext)
            }
        }
    }

    func testRotationFlagIsHonoured() throws {
        let dir = try Fixtures.scratch(self)
        let flagged = try PhoneStyle.copy(of: try Fixtures.sample(), in: dir)
        let probe = try Fixtures.run("/usr/bin/ffprobe", ["-v", "error", "-show_entries", "stream=width,height", "-select_streams", "v", "-of", "csv=p=0", flagged])
        XCTAssertTrue(probe.stdout.hasPrefix("720,1280"), "stored sideways: \(probe.stdout)")
        let (info, frames) = try Fixtures.frames(flagged)
        XCTAssertEqual(info.quarterTurnsClockwise, 1)
        XCTAssertEqual(info.width, 1280); XCTAssertEqual(info.height, 720)
        let base = try Fixtures.frames(try Fixtures.sample()).frames
        XCTAssertEqual(frames.count, base.count)
        // Upright again: the same picture as the original, up to re-encoding.
        var diff = 0.0, n = 0
        for y in stride(from: 0, to: 720, by: 4) {
            for x in stride(from: 0, to: 1280, by: 4) {
                diff += abs(frames[20].image.grey(x: x, y: y) - base[20].image.grey(x: x, y: y)); n += 1
            }
        }
        XCTAssertLessThan(diff / Double(n), 3)
    }

    func testQuarterTurnsMovePixelsAsOpenCVDoes() throws {
        var photo = try Imaging.read(path: Fixtures.photo)
        photo = try Imaging.resize(photo, width: 97, height: 64)  // odd and unequal sides
        for q in -1...4 {
            XCTAssertEqual(photo.rotated(quarterTurnsClockwise: q), try Imaging.rotate(photo, quarterTurnsClockwise: q), "\(q) quarter turns")
        }
        let turned = photo.rotated(quarterTurnsClockwise: 1)
        XCTAssertEqual(turned.width, 64)
        XCTAssertTrue(turned.pixel(x: 63, y: 0) == photo.pixel(x: 0, y: 0), "the top-left corner goes to the top right")
    }

    func testATruncatedMatroskaFileIsCaughtByItsDuration() throws {
        let dir = try Fixtures.scratch(self)
        // Matroska has no frame count to compare with; its header's duration is what the file promises.
        let mkv = dir.appendingPathComponent("whole.mkv").path
        try Fixtures.ffmpeg(["-i", try Fixtures.sample(), "-c", "copy", mkv])
        XCTAssertEqual(try Fixtures.timestamps(mkv).count, 60, "a whole file passes")
        let data = try Data(contentsOf: URL(fileURLWithPath: mkv))
        let half = dir.appendingPathComponent("half.mkv").path
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: half))
        XCTAssertThrowsError(try Fixtures.timestamps(half)) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(half): the file is truncated or damaged (decoded "), "\(error)")
            XCTAssertTrue("\(error)".hasSuffix("s its header announces)"), "\(error)")
        }
        // Allowed: what decoded is delivered and the shortfall is kept for a warning.
        let reader = try VideoReader(path: half, allowTruncated: true)
        var frames = 0
        while try reader.next() != nil { frames += 1 }
        XCTAssertGreaterThan(frames, 0)
        XCTAssertLessThan(frames, 60)
        guard case .truncatedDuration(_, let decoded, let announced)? = reader.truncation else {
            return XCTFail("no truncation recorded: \(String(describing: reader.truncation))")
        }
        XCTAssertEqual(announced, 2.0, accuracy: 0.05)
        XCTAssertEqual(decoded, Double(frames) * 1001 / 30000, accuracy: 0.05)
    }

    /// Files as phones and editors write them (`scripts/fixtures/make_phone_clips.sh`): a stream-copy trim
    /// and a B-frame clip trimmed by an edit list are read as they play (the frames before the edit are
    /// neither delivered nor counted as missing), a Matroska file starting at 10 s is whole, and files cut
    /// in half are still refused, or read up to where they end when allowed.
    func testTrimmedEditListedAndOffsetFilesAreReadAsTheyPlay() throws {
        let dir = try Fixtures.scratch(self)
        let clips = try PhoneClips.make(from: try Fixtures.sample(), in: dir,
                                        only: ["trimmed.mp4", "editlist_bframes.mp4", "offset.mkv", "half_faststart.mp4", "half.mkv"])
        for name in ["trimmed.mp4", "editlist_bframes.mp4", "offset.mkv"] {
            let path = clips.appendingPathComponent(name).path
            let played = try PhoneClips.framesFFmpegPresents(path)
            let reader = try VideoReader(path: path)
            var times: [Double] = []
            while let f = try reader.next() { times.append(f.time) }
            XCTAssertEqual(times.count, played, "\(name): the frames ffmpeg plays")
            XCTAssertEqual(zip(times, times.dropFirst()).filter { $0 >= $1 }.count, 0, "\(name): times rise")
            XCTAssertNil(reader.truncation, name)
            if let expected = reader.info.expectedFrameCount { XCTAssertEqual(Double(expected), Double(played), accuracy: 1, name) }
        }
        XCTAssertLessThan(try PhoneClips.framesFFmpegPresents(clips.appendingPathComponent("trimmed.mp4").path), Fixtures.sampleFrames)
        XCTAssertEqual(try Fixtures.timestamps(clips.appendingPathComponent("offset.mkv").path).first ?? 0, 10, accuracy: 0.05)
        for name in ["half_faststart.mp4", "half.mkv"] {
            let path = clips.appendingPathComponent(name).path
            XCTAssertThrowsError(try Fixtures.timestamps(path)) { XCTAssertTrue("\($0)".hasPrefix("\(path): the file is truncated or damaged"), "\($0)") }
            let reader = try VideoReader(path: path, allowTruncated: true)
            var frames = 0
            while try reader.next() != nil { frames += 1 }
            XCTAssertNotNil(reader.truncation, name)
            XCTAssertGreaterThanOrEqual(frames, try PhoneClips.framesFFmpegPresents(path) - 1, "\(name): what ffmpeg salvages")
            XCTAssertGreaterThan(frames, 0, name)
        }
    }

    func testAFileJoinedFromPiecesKeepsItsAudio() throws {
        // Looping a file by stream copy repeats an audio timestamp at the seam, which MP4 refuses.
        let dir = try Fixtures.scratch(self)
        let joined = dir.appendingPathComponent("joined.mkv").path
        try Fixtures.ffmpeg(["-stream_loop", "1", "-i", try Fixtures.sample(), "-c", "copy", joined])
        let reader = try VideoReader(path: joined, keepAudio: true)
        let out = dir.appendingPathComponent("out.mp4").path
        let writer = try VideoWriter(path: out, width: 64, height: 48, timeBase: reader.info.timeBase, frameRate: nil, audio: reader.audio)
        while let f = try reader.next() { try writer.write(Image(width: 64, height: 48), pts: f.pts) }
        try writer.finish()
        XCTAssertGreaterThan(writer.audioPacketsDropped, 0, "the repeated packet is left out")
        XCTAssertLessThan(writer.audioPacketsDropped, 3)
        XCTAssertEqual(try Fixtures.timestamps(out).count, 120)
        XCTAssertTrue(try Fixtures.frames(out).info.hasAudio)
    }

    func testBadFilesGiveClearErrors() throws {
        let dir = try Fixtures.scratch(self)
        let empty = dir.appendingPathComponent("empty.mp4").path
        XCTAssertTrue(FileManager.default.createFile(atPath: empty, contents: Data()))
        XCTAssertThrowsError(try VideoReader(path: empty)) { XCTAssertTrue("\($0)".contains("empty"), "\($0)") }
        let text = dir.appendingPathComponent("notes.mp4").path
        try "these are notes, not a video\n".write(toFile: text, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try VideoReader(path: text)) { XCTAssertTrue("\($0)".contains("not a readable video"), "\($0)") }
        XCTAssertThrowsError(try VideoReader(path: dir.appendingPathComponent("nothing.mp4").path)) {
            XCTAssertTrue("\($0)".contains("no such file"), "\($0)")
        }
        let truncated = try Truncated.copy(of: try Fixtures.sample(), in: dir)
        XCTAssertThrowsError(try Fixtures.timestamps(truncated)) { XCTAssertTrue("\($0)".contains("truncated"), "\($0)") }
        // What is at the path, said plainly, and nothing is read from it (a FIFO would block).
        let fifo = dir.appendingPathComponent("pipe.mp4").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        for (path, what) in [(dir.path, "a folder"), (fifo, "a named pipe (FIFO)"), ("/dev/zero", "a device")] {
            XCTAssertThrowsError(try VideoReader(path: path)) { XCTAssertEqual("\($0)", "\(path): \(what), not a video file") }
        }
    }
}

/// A phone-style copy of a clip: pictures stored turned 90° counter-clockwise, with the display
/// matrix phones write ("turn 90° clockwise to show").
enum PhoneStyle {
    static func copy(of input: String, in dir: URL) throws -> String {
        let sideways = dir.appendingPathComponent("sideways.mp4").path
        let out = dir.appendingPathComponent("phone90.mp4").path
        try Fixtures.ffmpeg(["-i", input, "-vf", "transpose=2", "-c:v", "libx264", "-crf", "12", "-preset", "veryfast",
                             "-c:a", "copy", sideways])
        // With FFmpeg 5.1 the legacy tag rotate=270, on a stream copy, writes the phone matrix (rotation −90).
        try Fixtures.ffmpeg(["-i", sideways, "-c", "copy", "-metadata:s:v:0", "rotate=270", out])
        return out
    }
}

/// The first half of a file's bytes (header at the front, so the index promises more than is there).
enum Truncated {
    static func copy(of input: String, in dir: URL) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: input))
        let out = dir.appendingPathComponent("truncated.mp4").path
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: out))
        return out
    }
}

/// The files `scripts/fixtures/make_phone_clips.sh` makes, and what ffmpeg makes of them.
enum PhoneClips {
    /// Makes the script's files in `dir`/clips (`only`: just those named).
    static func make(from source: String, in dir: URL, only: [String] = []) throws -> URL {
        let out = dir.appendingPathComponent("clips")
        try Fixtures.run("/bin/bash", [Fixtures.repoRoot.appendingPathComponent("scripts/fixtures/make_phone_clips.sh").path, source, out.path],
                         environment: only.isEmpty ? [:] : ["ONLY": only.joined(separator: " ")])
        return out
    }

    /// Frames ffprobe decodes and presents from a file's video stream.
    static func framesFFmpegPresents(_ path: String) throws -> Int {
        let r = try Fixtures.run("/usr/bin/ffprobe", ["-v", "quiet", "-count_frames", "-select_streams", "v:0", "-show_entries",
                                                      "stream=nb_read_frames", "-of", "csv=p=0", path], allowFailure: true)
        // A rotated stream's side data adds fields after the count ("30,").
        return Int(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",").first ?? "") ?? -1
    }
}
