import CFFmpeg
import FaceMirrorCore
import Foundation

/// x264's presets: encoding speed against file size at the same quality.
public enum X264Preset: String, Sendable, CaseIterable {
    case ultrafast, superfast, veryfast, faster, fast, medium, slow, slower, veryslow, placebo
}

/// H.264 encoder settings.
public struct EncoderSettings: Sendable, Equatable {
    public var preset: X264Preset
    /// x264 constant rate factor (0 = lossless, 18 ≈ visually lossless, 23 = x264's default).
    public var crf: Double
    /// Encoder threads (0 = libx264 decides).
    public var threads: Int

    public init(preset: X264Preset = .veryfast, crf: Double = 18, threads: Int = 0) {
        self.preset = preset; self.crf = crf; self.threads = threads
    }

    /// Frames with more pixels than 1080p are encoded with `largeFrameParameters`.
    public static let largeFramePixels = 1920 * 1088
    public static let largeFrameParameters = "rc-lookahead=2:bframes=0:sliced-threads=1"
}

/// Writes BGR frames as H.264 (libx264, yuv420p) into an MP4 with the caller's timestamps, and copies
/// (remuxes, never re-encodes) the input's audio that a `VideoReader` demuxed, interleaved as frames arrive.
/// The file at `path` is written directly; callers wanting all-or-nothing files write to a temporary name.
public final class VideoWriter {
    public let path: String
    public let width: Int
    public let height: Int
    /// The size of the encoded pictures: the pictures' own, or smaller with `maxEncodedSide`.
    public let encodedWidth: Int
    public let encodedHeight: Int
    private var output: UnsafeMutablePointer<AVFormatContext>?
    private var encoder: UnsafeMutablePointer<AVCodecContext>?
    private var videoStream: UnsafeMutablePointer<AVStream>
    private var frame: UnsafeMutablePointer<AVFrame>?
    private var packet: UnsafeMutablePointer<AVPacket>?
    private var scaler: OpaquePointer?
    /// The picture swscale reads, with zeroed bytes after its last row. swscale's SIMD code reads up to
    /// 16 bytes past the last pixel it uses; read from the caller's array, those bytes were whatever the
    /// heap held there, and they reached the encoded video: the same input gave other mirrored and debug
    /// videos depending on what the process had done before (and on timing, with several jobs).
    private var staging: [UInt8]
    /// What `staging` holds past the picture: more than swscale reads past a line.
    static let readSlack = 64
    private var audio: AudioTrackWriter?
    private var lastPts: Int64?
    /// Display duration of each frame sent to the encoder, by pts, until its packet comes out: MP4 needs
    /// the last sample's duration, or players (and FFmpeg) drop the last frame.
    private var durations: [Int64: Int64] = [:]
    private var lastDuration: Int64 = 0
    private var headerWritten = false
    private var closed = false
    public private(set) var framesWritten = 0
    /// Set when the input had audio that MP4 cannot carry (the video is written without it).
    public private(set) var audioSkippedReason: String?
    /// Set when the input's audio was re-encoded (MP4 cannot carry it as it is).
    public private(set) var audioNote: String?
    /// Audio packets left out because their time did not rise after the one before (known after `finish`).
    public private(set) var audioPacketsDropped = 0

    public init(path: String, width: Int, height: Int, timeBase: Rational, frameRate: Rational?,
                audio: DemuxedAudio?, settings: EncoderSettings = EncoderSettings(), sampleAspectRatio: Rational? = nil,
                maxEncodedSide: Int? = nil) throws {
        self.path = path
        // yuv420p needs even sizes: an odd size gets one more row or column, a copy of the last
        // (never a crop: every input pixel is kept, at the same place).
        self.width = (width + 1) & ~1
        self.height = (height + 1) & ~1
        // Pictures larger than `maxEncodedSide` are scaled down (same shape) as they are converted to yuv420p.
        let shrink = maxEncodedSide.map { Double($0) / Double(max(width, height)) } ?? 1
        if shrink < 1 {
            encodedWidth = max(2, Int((Double(width) * shrink / 2).rounded()) * 2)
            encodedHeight = max(2, Int((Double(height) * shrink / 2).rounded()) * 2)
        } else {
            (encodedWidth, encodedHeight) = (self.width, self.height)
        }
        guard self.width >= 2, self.height >= 2 else { throw MediaError.encode(path: path, reason: "picture too small") }
        staging = [UInt8](repeating: 0, count: self.width * self.height * 3 + VideoWriter.readSlack)
        var oc: UnsafeMutablePointer<AVFormatContext>? = nil
        var rc = avformat_alloc_output_context2(&oc, nil, "mp4", path)
        guard rc >= 0, let oc else { throw MediaError.encode(path: path, reason: ffmpegMessage(rc)) }
        output = oc
        func fail(_ reason: String) -> MediaError {
            return MediaError.encode(path: path, reason: reason)
        }
        guard let codec = avcodec_find_encoder_by_name("libx264") else {
            avformat_free_context(oc); output = nil
            throw fail("this FFmpeg has no libx264 encoder")
        }
        guard let st = avformat_new_stream(oc, nil), let ctx = avcodec_alloc_context3(codec) else {
            avformat_free_context(oc); output = nil
            throw fail("out of memory")
        }
        videoStream = st
        encoder = ctx
        ctx.pointee.width = Int32(encodedWidth)
        ctx.pointee.height = Int32(encodedHeight)
        ctx.pointee.pix_fmt = AV_PIX_FMT_YUV420P
        // Tagged with what the file holds: SDR pictures (HDR input is converted as it is read) turned into
        // limited-range yuv420p with swscale's default matrix (BT.601's), so players need not guess.
        ctx.pointee.color_primaries = AVCOL_PRI_BT709
        ctx.pointee.color_trc = AVCOL_TRC_BT709
        ctx.pointee.colorspace = AVCOL_SPC_SMPTE170M
        ctx.pointee.color_range = AVCOL_RANGE_MPEG
        ctx.pointee.time_base = timeBase.av
        if let frameRate, frameRate.num > 0, frameRate.den > 0 { ctx.pointee.framerate = frameRate.av }
        ctx.pointee.thread_count = Int32(settings.threads)
        if let sar = sampleAspectRatio, sar.num > 0, sar.den > 0 { ctx.pointee.sample_aspect_ratio = sar.av }
        if oc.pointee.oformat.pointee.flags & AVFMT_GLOBALHEADER != 0 {
            ctx.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER
        }
        var opts: OpaquePointer? = nil
        av_dict_set(&opts, "preset", settings.preset.rawValue, 0)
        av_dict_set(&opts, "crf", String(settings.crf), 0)
        var x264Parameters: [String] = []
        if self.width * self.height > EncoderSettings.largeFramePixels {
            // Above 1080p x264's look-ahead, B-frames and frame threads hold tens of frames of 12 MB or more
            // each (780 MB for one 4K encoder at veryfast); a short look-ahead and threads working on slices
            // of one frame keep it near 300 MB at about the same size and quality. The same for a large
            // picture scaled down (the debug video of a 4K input): its frames come with 4K ones in flight.
            x264Parameters.append(EncoderSettings.largeFrameParameters)
        }
        if let cpu = X264CPU.withoutAVX512 { x264Parameters.append("asm=\(cpu)") }
        if !x264Parameters.isEmpty { av_dict_set(&opts, "x264-params", x264Parameters.joined(separator: ":"), 0) }
        rc = avcodec_open2(ctx, codec, &opts)
        av_dict_free(&opts)
        if rc < 0 {
            avcodec_free_context(&encoder); avformat_free_context(oc); output = nil
            throw fail("libx264 refused the settings (preset \(settings.preset), crf \(settings.crf)): \(ffmpegMessage(rc))")
        }
        avcodec_parameters_from_context(st.pointee.codecpar, ctx)
        st.pointee.sample_aspect_ratio = ctx.pointee.sample_aspect_ratio
        st.pointee.time_base = ctx.pointee.time_base
        if let frameRate, frameRate.num > 0 { st.pointee.avg_frame_rate = frameRate.av }

        if let audio {
            do {
                if avformat_query_codec(oc.pointee.oformat, audio.codecID, FF_COMPLIANCE_NORMAL) == 1 {
                    self.audio = try AudioRemuxer(audio: audio, into: oc)
                } else {
                    let transcoder = try AudioTranscoder(audio: audio, into: oc)
                    audioNote = transcoder.description
                    self.audio = transcoder
                }
            } catch let e as AudioRemuxer.Skip {
                audioSkippedReason = e.reason
            }
        }

        frame = av_frame_alloc()
        packet = av_packet_alloc()
        guard let frame else { release(); throw fail("out of memory") }
        frame.pointee.width = Int32(encodedWidth)
        frame.pointee.height = Int32(encodedHeight)
        frame.pointee.format = AV_PIX_FMT_YUV420P.rawValue
        rc = av_frame_get_buffer(frame, 0)
        if rc >= 0 { rc = avio_open(&oc.pointee.pb, path, AVIO_FLAG_WRITE) }
        if rc >= 0 { rc = avformat_write_header(oc, nil) }
        if rc < 0 { release(); throw fail(ffmpegMessage(rc)) }
        headerWritten = true
        scaler = sws_getContext(Int32(self.width), Int32(self.height), AV_PIX_FMT_BGR24, Int32(encodedWidth), Int32(encodedHeight),
                                AV_PIX_FMT_YUV420P, Int32(SWS_BILINEAR | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INP), nil, nil, nil)
        if scaler == nil { release(); throw fail("no BGR → yuv420p conversion") }
    }

    deinit { release() }

    private func release() {
        if scaler != nil { sws_freeContext(scaler); scaler = nil }
        if frame != nil { av_frame_free(&frame) }
        if packet != nil { av_packet_free(&packet) }
        if encoder != nil { avcodec_free_context(&encoder) }
        audio = nil
        if let oc = output {
            if oc.pointee.pb != nil { avio_closep(&oc.pointee.pb) }
            avformat_free_context(oc)
            output = nil
        }
    }

    /// Copies `image` into `staging`, an odd size made even with a copy of its last column and row (never
    /// a crop: every pixel stays where it was).
    private func stage(_ image: Image) {
        let rowBytes = width * 3, imageRow = image.width * 3
        staging.withUnsafeMutableBufferPointer { dst in
            image.pixels.withUnsafeBufferPointer { src in
                for y in 0..<height {
                    let from = src.baseAddress! + min(y, image.height - 1) * imageRow
                    let to = dst.baseAddress! + y * rowBytes
                    to.update(from: from, count: imageRow)
                    if image.width < width { (to + imageRow).update(from: from + imageRow - 3, count: 3) }
                }
            }
        }
    }

    /// Encodes one picture shown at `pts` for `duration` (in the time base given at creation; 0 = until
    /// the next frame). Timestamps must rise.
    public func write(_ image: Image, pts: Int64, duration: Int64 = 0) throws {
        guard !closed, let frame, let encoder else { throw MediaError.encode(path: path, reason: "writer already closed") }
        guard image.width == width || image.width == width - 1, image.height == height || image.height == height - 1 else {
            throw MediaError.encode(path: path, reason: "frame \(image.width)x\(image.height) does not fit the video \(width)x\(height)")
        }
        stage(image)
        var rc = av_frame_make_writable(frame)
        if rc < 0 { throw MediaError.encode(path: path, reason: ffmpegMessage(rc)) }
        let srcStride: [Int32] = [Int32(width * 3), 0, 0, 0]
        var dstData = frame.pointee.data
        var dstStride = frame.pointee.linesize
        let h = Int32(height)
        let scaler = self.scaler
        staging.withUnsafeBufferPointer { src in
            let planes: [UnsafePointer<UInt8>?] = [src.baseAddress, nil, nil, nil]
            withUnsafePointer(to: &dstData) { d in
                d.withMemoryRebound(to: UnsafeMutablePointer<UInt8>?.self, capacity: 8) { dst in
                    withUnsafePointer(to: &dstStride) { s in
                        s.withMemoryRebound(to: Int32.self, capacity: 8) { strides in
                            _ = sws_scale(scaler, planes, srcStride, 0, h, dst, strides)
                        }
                    }
                }
            }
        }
        // The encoder needs strictly rising timestamps; a repeated one moves up by one tick.
        var p = pts
        if let last = lastPts, p <= last { p = last + 1 }
        if let last = lastPts {
            // The previous frame lasts until this one unless its own duration was given.
            if durations[last] == 0 { durations[last] = p - last }
            lastDuration = durations[last] ?? lastDuration
        }
        durations[p] = duration
        lastPts = p
        frame.pointee.pts = p
        rc = avcodec_send_frame(encoder, frame)
        if rc < 0 { throw MediaError.encode(path: path, reason: ffmpegMessage(rc)) }
        framesWritten += 1
        try drainEncoder()
    }

    private func drainEncoder() throws {
        guard let encoder, let packet, let oc = output else { return }
        while true {
            let rc = avcodec_receive_packet(encoder, packet)
            if rc == cffmpeg_error_eagain() || rc == cffmpeg_error_eof() { return }
            if rc < 0 { throw MediaError.encode(path: path, reason: ffmpegMessage(rc)) }
            var d = durations.removeValue(forKey: packet.pointee.pts) ?? 0
            if d <= 0 { d = lastDuration }  // the last frame, or a packet ahead of its successor: as long as the one before
            packet.pointee.duration = d
            av_packet_rescale_ts(packet, encoder.pointee.time_base, videoStream.pointee.time_base)
            packet.pointee.stream_index = videoStream.pointee.index
            // Audio up to this video packet's decode time goes first, so the file stays interleaved.
            try audio?.copy(upTo: packet.pointee.dts, timeBase: videoStream.pointee.time_base)
            let w = av_interleaved_write_frame(oc, packet)
            if w < 0 { throw MediaError.encode(path: path, reason: ffmpegMessage(w)) }
        }
    }

    /// Flushes the encoder, copies the rest of the audio and completes the file.
    public func finish() throws {
        guard !closed, let encoder, let oc = output else { return }
        closed = true
        var rc = avcodec_send_frame(encoder, nil)
        if rc < 0 { throw MediaError.encode(path: path, reason: ffmpegMessage(rc)) }
        try drainEncoder()
        try audio?.copy(upTo: nil, timeBase: videoStream.pointee.time_base)
        audioPacketsDropped = audio?.dropped ?? 0
        rc = av_write_trailer(oc)
        if rc < 0 { throw MediaError.encode(path: path, reason: ffmpegMessage(rc)) }
        rc = avio_closep(&oc.pointee.pb)
        if rc < 0 { throw MediaError.encode(path: path, reason: ffmpegMessage(rc)) }
        release()
    }
}

/// Puts the input's audio into the output file as the video frames reach it.
protocol AudioTrackWriter: AnyObject {
    /// Writes the audio up to `dts` (in `timeBase`); nil writes all that remains and ends the track.
    func copy(upTo dts: Int64?, timeBase: AVRational) throws
    /// Packets left out (out of order, or damaged).
    var dropped: Int { get }
}

/// Copies the demuxed audio packets into an output context, in time order.
final class AudioRemuxer: AudioTrackWriter {
    struct Skip: Error { let reason: String }

    private let audio: DemuxedAudio
    private let consumer: Int
    private let outStream: UnsafeMutablePointer<AVStream>
    private let output: UnsafeMutablePointer<AVFormatContext>
    private var lastDts: Int64?
    /// Packets left out because their decode time did not rise (a file joined from pieces repeats one
    /// at the seam; MP4 refuses them, and one audio packet is better lost than the whole video).
    private(set) var dropped = 0

    init(audio: DemuxedAudio, into oc: UnsafeMutablePointer<AVFormatContext>) throws {
        guard let st = avformat_new_stream(oc, nil), audio.copyParameters(to: st.pointee.codecpar) else {
            throw Skip(reason: "cannot add an audio stream")
        }
        st.pointee.codecpar.pointee.codec_tag = 0
        st.pointee.time_base = audio.timeBase
        self.audio = audio
        consumer = audio.register()
        outStream = st
        output = oc
    }

    deinit { audio.unregister(consumer) }

    /// Writes audio packets whose time is at or before `dts` (in `timeBase`); nil writes all that remain.
    func copy(upTo dts: Int64?, timeBase: AVRational) throws {
        while let packet = audio.next(for: consumer, notAfter: dts.map { ($0, timeBase) }) {
            defer { var p: UnsafeMutablePointer<AVPacket>? = packet; av_packet_free(&p) }
            av_packet_rescale_ts(packet, audio.timeBase, outStream.pointee.time_base)
            let dts = packet.pointee.dts
            if dts != cffmpeg_nopts() {
                if let last = lastDts, dts <= last { dropped += 1; continue }
                lastDts = dts
            }
            packet.pointee.stream_index = outStream.pointee.index
            packet.pointee.pos = -1
            let rc = av_interleaved_write_frame(output, packet)  // takes the packet's reference, leaves it blank
            if rc < 0 { throw MediaError.encode(path: String(cString: output.pointee.url), reason: "audio: \(ffmpegMessage(rc))") }
        }
    }
}
