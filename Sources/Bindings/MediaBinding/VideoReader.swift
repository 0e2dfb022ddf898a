import CFFmpeg
import FaceMirrorCore
import Foundation

/// What a video file holds, as the reader will deliver it (after the container's rotation).
public struct VideoInfo: Sendable {
    public let path: String
    /// Size of the delivered (upright) frames.
    public let width: Int
    public let height: Int
    /// Clockwise quarter turns applied to each decoded frame to honour the container's display matrix.
    public let quarterTurnsClockwise: Int
    /// Time base of the video stream's timestamps.
    public let timeBase: Rational
    /// Average frame rate as the container states it (not rounded); informative only.
    public let averageFrameRate: Rational
    /// Frame count from the container's index, when it has one.
    public let announcedFrameCount: Int?
    public let durationSeconds: Double?
    /// How long the container says the video stream is: the stream's duration, else its DURATION tag
    /// (Matroska), else the file's.
    public let announcedDuration: Double?
    /// Where the container says the presented video ends, in seconds on the stream's own clock: the
    /// stream's start plus its duration (for MP4 and MOV the edit list's span: frames a trim left before
    /// its start are not shown and not counted), else Matroska's DURATION tag or the segment's duration
    /// (both end times). What decoded is checked against it at the end.
    public let announcedEnd: Double?
    /// Frames the container presents, as far as it says: its index's count, or fewer when its duration
    /// at the stated frame rate says an edit list shows fewer. For progress lines.
    public let expectedFrameCount: Int?
    public let codecName: String
    public let hasAudio: Bool
    /// Width of a pixel relative to its height (4:3 for anamorphic video), after the turn; 1:1 when
    /// the file does not say.
    public let sampleAspectRatio: Rational
    /// "HLG" or "PQ" for HDR video (converted to SDR BT.709 as it is read), nil for SDR.
    public var hdrTransfer: String? = nil
}

/// One decoded frame with its real presentation timestamp.
public struct VideoFrame: Sendable {
    public let index: Int
    /// Presentation timestamp in `VideoInfo.timeBase` units.
    public let pts: Int64
    /// How long the frame is shown, in time-base units (0 when the file does not say).
    public let duration: Int64
    /// Presentation time in seconds.
    public let time: Double
    public var image: Image

    public init(index: Int, pts: Int64, duration: Int64, time: Double, image: Image) {
        self.index = index
        self.pts = pts
        self.duration = duration
        self.time = time
        self.image = image
    }
}

/// Decodes a video file frame by frame (libavformat + libavcodec), converting to BGR and
/// turning frames upright. Memory stays flat: one packet and one frame are alive at a time.
public final class VideoReader {
    public let info: VideoInfo
    private var format: UnsafeMutablePointer<AVFormatContext>?
    /// Marks this reader's FFmpeg contexts (see `ffmpegErrors`).
    private let logTag = MediaLog.newTag()
    /// Errors FFmpeg logged while this reader opened and decoded its file (damaged packets, bad headers).
    public var ffmpegErrors: Int { MediaLog.errorCount(tag: logTag) }
    private var codec: UnsafeMutablePointer<AVCodecContext>?
    private var packet: UnsafeMutablePointer<AVPacket>?
    private var frame: UnsafeMutablePointer<AVFrame>?
    private var scaler: OpaquePointer?
    private var scalerKey: (Int32, Int32, Int32) = (0, 0, -1)
    /// For HDR pictures, FFmpeg's filters instead of the scaler.
    private var hdr: HDRConverter?
    private let streamIndex: Int32
    private var draining = false
    private var finished = false
    private var readError: Int32 = 0
    private var lastPts: Int64?
    /// The input's audio stream, collected as the video is read, when asked for and present.
    public let audio: DemuxedAudio?
    private let audioIndex: Int32
    public private(set) var framesDecoded = 0
    /// Packets the decoder rejected as damaged.
    public private(set) var damagedPackets = 0
    private var decodeErrorsInARow = 0
    /// Decoding errors in a row after which the video is given up.
    static let decodeErrorsTolerated = 50

    /// Why the file ended before what its container announces, when `allowTruncated` let it.
    public private(set) var truncation: MediaError?
    private let allowTruncated: Bool
    private var firstPts: Int64?
    private var lastEnd: Int64?

    /// `keepAudio`: also collect the audio stream's packets (`audio`), for writers that copy it.
    /// `allowTruncated`: a file that ends early is read to where it ends (see `truncation`) instead of
    /// being an error.
    public init(path: String, threads: Int = 0, keepAudio: Bool = false, allowTruncated: Bool = false) throws {
        self.allowTruncated = allowTruncated
        // What is at the path, said plainly: a folder, a pipe or a device is not a video file.
        var st = stat()
        guard stat(path, &st) == 0 else { throw MediaError.missing(path: path) }
        switch st.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw MediaError.notAFile(path: path, what: "a folder")
        case S_IFIFO: throw MediaError.notAFile(path: path, what: "a named pipe (FIFO)")
        case S_IFCHR, S_IFBLK: throw MediaError.notAFile(path: path, what: "a device")
        case S_IFSOCK: throw MediaError.notAFile(path: path, what: "a socket")
        default: throw MediaError.notAFile(path: path, what: "not a regular file")
        }
        if st.st_size == 0 { throw MediaError.empty(path: path) }

        // This reader's contexts carry its log tag, so that FFmpeg's errors are counted per video
        // even while other videos are read beside it.
        var fmt = avformat_alloc_context()
        fmt?.pointee.opaque = UnsafeMutableRawPointer(bitPattern: logTag)
        var rc = avformat_open_input(&fmt, path, nil, nil)
        guard rc >= 0, let fmt else { throw MediaError.notAVideo(path: path, reason: ffmpegMessage(rc)) }
        format = fmt
        // From here on, deinit releases what was opened.
        rc = avformat_find_stream_info(fmt, nil)
        if rc < 0 {
            avformat_close_input(&format)
            throw MediaError.notAVideo(path: path, reason: ffmpegMessage(rc))
        }
        var decoder: UnsafePointer<AVCodec>? = nil
        let index = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, &decoder, 0)
        guard index >= 0, let decoder, let stream = fmt.pointee.streams[Int(index)],
              stream.pointee.disposition & AV_DISPOSITION_ATTACHED_PIC == 0 else {
            avformat_close_input(&format)
            throw MediaError.noVideoStream(path: path)
        }
        streamIndex = index
        let audioIndex = av_find_best_stream(fmt, AVMEDIA_TYPE_AUDIO, -1, -1, nil, 0)
        let hasAudio = audioIndex >= 0
        audio = keepAudio && hasAudio ? fmt.pointee.streams[Int(audioIndex)].flatMap { DemuxedAudio(stream: $0) } : nil
        self.audioIndex = audio != nil ? audioIndex : -1
        // Only the video stream's packets are wanted (and the audio's, when kept).
        for i in 0..<Int(fmt.pointee.nb_streams) where Int32(i) != index && Int32(i) != self.audioIndex {
            fmt.pointee.streams[i]?.pointee.discard = AVDISCARD_ALL
        }

        guard let ctx = avcodec_alloc_context3(decoder) else {
            avformat_close_input(&format)
            throw MediaError.decode(path: path, reason: "out of memory")
        }
        codec = ctx
        ctx.pointee.opaque = UnsafeMutableRawPointer(bitPattern: logTag)
        rc = avcodec_parameters_to_context(ctx, stream.pointee.codecpar)
        ctx.pointee.thread_count = Int32(threads)
        if threads == 0, Int(ctx.pointee.width) * Int(ctx.pointee.height) > EncoderSettings.largeFramePixels {
            // Each of FFmpeg's frame threads holds frames of its own (about 45 MB a thread at 4K); one thread
            // decodes 4K several times faster than the rest of the pipeline uses it.
            ctx.pointee.thread_count = 1
        }
        ctx.pointee.pkt_timebase = stream.pointee.time_base
        if rc >= 0 { rc = avcodec_open2(ctx, decoder, nil) }
        if rc < 0 {
            avcodec_free_context(&codec)
            avformat_close_input(&format)
            throw MediaError.decode(path: path, reason: ffmpegMessage(rc))
        }
        packet = av_packet_alloc()
        frame = av_frame_alloc()

        let par = stream.pointee.codecpar.pointee
        // av_display_rotation_get gives the counter-clockwise angle; −90 means "turn 90° clockwise to display".
        let ccw = cffmpeg_stream_rotation(stream)
        let turns = ((Int((-ccw / 90).rounded()) % 4) + 4) % 4
        let (w, h) = turns % 2 == 1 ? (Int(par.height), Int(par.width)) : (Int(par.width), Int(par.height))
        let tb = Rational(stream.pointee.time_base)
        let nb = stream.pointee.nb_frames
        var duration: Double? = nil
        if stream.pointee.duration > 0 {
            duration = Double(stream.pointee.duration) * tb.value
        } else if fmt.pointee.duration > 0 {
            duration = Double(fmt.pointee.duration) / Double(AV_TIME_BASE)
        }
        let tagged = av_dict_get(stream.pointee.metadata, "DURATION", nil, 0).flatMap { VideoReader.seconds(String(cString: $0.pointee.value)) }
        var end: Double? = tagged ?? (fmt.pointee.duration > 0 ? Double(fmt.pointee.duration) / Double(AV_TIME_BASE) : nil)
        if stream.pointee.duration > 0 {
            let start = stream.pointee.start_time == cffmpeg_nopts() ? 0 : stream.pointee.start_time
            end = Double(start + stream.pointee.duration) * tb.value
        }
        let fps = Rational(stream.pointee.avg_frame_rate).value
        var expected: Int? = nb > 0 ? Int(nb) : nil
        if stream.pointee.duration > 0, fps > 0 {
            let presented = Int((Double(stream.pointee.duration) * tb.value * fps).rounded())
            if let n = expected, presented < n - 1 { expected = presented } else if expected == nil { expected = presented }
        }
        info = VideoInfo(path: path, width: w, height: h, quarterTurnsClockwise: turns, timeBase: tb,
                         averageFrameRate: Rational(stream.pointee.avg_frame_rate),
                         announcedFrameCount: nb > 0 ? Int(nb) : nil, durationSeconds: duration,
                         announcedDuration: stream.pointee.duration > 0 ? duration : (tagged ?? duration),
                         announcedEnd: end, expectedFrameCount: expected,
                         codecName: String(cString: decoder.pointee.name), hasAudio: hasAudio,
                         sampleAspectRatio: VideoReader.pixelAspect(av_guess_sample_aspect_ratio(fmt, stream, nil), turned: turns % 2 == 1),
                         hdrTransfer: HDRConverter.Transfer(stream.pointee.codecpar.pointee.color_trc)?.rawValue)
        if w <= 0 || h <= 0 {
            release()
            throw MediaError.notAVideo(path: path, reason: "the video stream has no picture size")
        }
    }

    deinit { release() }

    /// The stream's pixel aspect as delivered: a turn by 90° swaps a pixel's width and height.
    static func pixelAspect(_ sar: AVRational, turned: Bool) -> Rational {
        guard sar.num > 0, sar.den > 0 else { return Rational(1, 1) }
        return turned ? Rational(sar.den, sar.num) : Rational(sar)
    }

    /// Seconds from Matroska's "HH:MM:SS.nnnnnnnnn" duration tag.
    static func seconds(_ text: String) -> Double? {
        let parts = text.split(separator: ":")
        guard parts.count == 3, let h = Double(parts[0]), let m = Double(parts[1]), let s = Double(parts[2]) else { return nil }
        return h * 3600 + m * 60 + s
    }

    private func release() {
        if scaler != nil { sws_freeContext(scaler); scaler = nil }
        if frame != nil { av_frame_free(&frame) }
        if packet != nil { av_packet_free(&packet) }
        if codec != nil { avcodec_free_context(&codec) }
        if format != nil { avformat_close_input(&format) }
    }

    /// The next frame in presentation order, or nil at the end of the stream.
    /// Throws `MediaError.truncated` at the end when fewer frames came than the container announced.
    public func next() throws -> VideoFrame? {
        guard !finished, let codec, let packet, let frame, let format else { return nil }
        while true {
            let rc = avcodec_receive_frame(codec, frame)
            if rc == 0 {
                decodeErrorsInARow = 0
                defer { av_frame_unref(frame) }
                return try deliver(frame)
            }
            if rc == cffmpeg_error_eof() {
                finished = true
                try checkComplete()
                return nil
            }
            if rc != cffmpeg_error_eagain() {
                // A damaged packet (the last one of a cut file, say) costs that picture, as in ffmpeg's
                // own player; only a decoder that keeps failing stops the video.
                decodeErrorsInARow += 1
                damagedPackets += 1
                if decodeErrorsInARow > VideoReader.decodeErrorsTolerated {
                    throw MediaError.decode(path: info.path, reason: ffmpegMessage(rc))
                }
                continue
            }
            if draining {
                finished = true
                try checkComplete()
                return nil
            }
            let r = av_read_frame(format, packet)
            if r < 0 {
                if r != cffmpeg_error_eof() { readError = r }
                draining = true
                avcodec_send_packet(codec, nil)
                continue
            }
            defer { av_packet_unref(packet) }
            if packet.pointee.stream_index == audioIndex { audio?.append(packet) }
            if packet.pointee.stream_index != streamIndex { continue }
            let s = avcodec_send_packet(codec, packet)
            if s < 0 && s != cffmpeg_error_eagain() {
                damagedPackets += 1
            }
        }
    }

    /// How far the decoded end may fall short of the announced one: about a frame (a file's last frame
    /// often carries no duration), never less than 50 ms.
    static func endTolerance(frameRate: Double) -> Double { max(0.05, frameRate > 0 ? 1.5 / frameRate : 0.1) }

    /// A file is complete when what decoded reaches where the container says the video ends (measured
    /// on the stream's clock, so a start time that is not zero does not count as missing video); with
    /// no end stated, when as many frames decoded as its index counts.
    private func checkComplete() throws {
        var short: MediaError?
        if let announcedEnd = info.announcedEnd {
            let tb = info.timeBase.value
            let first = Double(firstPts ?? 0) * tb, end = lastEnd.map { Double($0) * tb } ?? first
            if announcedEnd - end > VideoReader.endTolerance(frameRate: info.averageFrameRate.value) {
                short = .truncatedDuration(path: info.path, decoded: max(0, end - first), announced: max(0, announcedEnd - first))
            }
        } else if let expected = info.announcedFrameCount, framesDecoded < expected {
            short = .truncated(path: info.path, decoded: framesDecoded, expected: expected)
        }
        if let short {
            guard allowTruncated else { throw short }
            truncation = short
            return
        }
        if readError != 0 && readError != cffmpeg_error_eof() {
            throw MediaError.decode(path: info.path, reason: ffmpegMessage(readError))
        }
        if framesDecoded == 0 {
            throw MediaError.decode(path: info.path, reason: "no frame could be decoded")
        }
    }

    private func deliver(_ frame: UnsafeMutablePointer<AVFrame>) throws -> VideoFrame {
        let f = frame.pointee
        var pts = f.best_effort_timestamp
        if pts == cffmpeg_nopts() { pts = f.pts }
        if pts == cffmpeg_nopts() {
            // No timestamp at all: continue from the previous one by one nominal frame.
            let step = info.averageFrameRate.num > 0
                ? Int64((1 / info.averageFrameRate.value / info.timeBase.value).rounded()) : 1
            pts = (lastPts ?? -step) + max(step, 1)
        }
        lastPts = pts
        if firstPts == nil { firstPts = pts }
        lastEnd = max(lastEnd ?? pts, pts + max(0, cffmpeg_frame_duration(frame)))
        var image = try convert(frame)
        if info.quarterTurnsClockwise != 0 {
            image = image.rotated(quarterTurnsClockwise: info.quarterTurnsClockwise)
        }
        let index = framesDecoded
        framesDecoded += 1
        return VideoFrame(index: index, pts: pts, duration: max(0, cffmpeg_frame_duration(frame)), time: Double(pts) * info.timeBase.value,
                          image: image)
    }

    private func convert(_ frame: UnsafeMutablePointer<AVFrame>) throws -> Image {
        let f = frame.pointee
        let key = (f.width, f.height, f.format)
        let coded = info.quarterTurnsClockwise % 2 == 1 ? (info.height, info.width) : (info.width, info.height)
        guard Int(f.width) == coded.0, Int(f.height) == coded.1 else {
            throw MediaError.unsupported(path: info.path,
                                         reason: "the picture size changes mid-stream (\(coded.0)x\(coded.1) → \(f.width)x\(f.height))")
        }
        if let transfer = HDRConverter.Transfer(f.color_trc) {
            if hdr == nil || scalerKey != key || hdr?.transfer != transfer {
                hdr = try HDRConverter(transfer: transfer, width: f.width, height: f.height, pixelFormat: f.format, path: info.path)
                scalerKey = key
            }
            return try hdr!.convert(frame)
        }
        if scaler == nil || scalerKey != key {
            if scaler != nil { sws_freeContext(scaler) }
            scaler = sws_getContext(f.width, f.height, AVPixelFormat(f.format), f.width, f.height, AV_PIX_FMT_BGR24,
                                    Int32(SWS_BILINEAR | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT), nil, nil, nil)
            scalerKey = key
            guard scaler != nil else {
                throw MediaError.decode(path: info.path, reason: "no conversion from pixel format \(f.format) to BGR")
            }
        }
        var image = Image(width: Int(f.width), height: Int(f.height))
        var src = f.data
        var srcStride = f.linesize
        let dstStride: [Int32] = [Int32(image.stride), 0, 0, 0]
        let height = f.height
        let scaler = self.scaler
        image.pixels.withUnsafeMutableBufferPointer { dst in
            let dstPlanes: [UnsafeMutablePointer<UInt8>?] = [dst.baseAddress, nil, nil, nil]
            withUnsafePointer(to: &src) { srcTuple in
                srcTuple.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: 8) { srcPlanes in
                    withUnsafePointer(to: &srcStride) { strideTuple in
                        strideTuple.withMemoryRebound(to: Int32.self, capacity: 8) { strides in
                            _ = sws_scale(scaler, srcPlanes, strides, 0, height, dstPlanes, dstStride)
                        }
                    }
                }
            }
        }
        return image
    }
}
