import CFFmpeg
import Foundation

/// Writes the input's audio into an MP4 that cannot carry it as it is (PCM from an AVI or a camera's MOV,
/// say) by decoding it and encoding it as AAC (FFmpeg's own encoder, 64 kbit/s a channel; more than two
/// channels are mixed down to stereo). Timestamps run on from the first packet's, one sample at a time.
final class AudioTranscoder: AudioTrackWriter {
    private let audio: DemuxedAudio
    private let consumer: Int
    private let outStream: UnsafeMutablePointer<AVStream>
    private let output: UnsafeMutablePointer<AVFormatContext>
    private var decoder: UnsafeMutablePointer<AVCodecContext>?
    private var encoder: UnsafeMutablePointer<AVCodecContext>?
    private var resampler: OpaquePointer?
    private var fifo: OpaquePointer?
    private var decoded: UnsafeMutablePointer<AVFrame>?
    private var packet: UnsafeMutablePointer<AVPacket>?
    /// The next encoded frame's first sample, in 1/sample rate.
    private var nextPts: Int64?
    private(set) var dropped = 0
    /// What the input was, for the note that says its audio was re-encoded.
    let description: String

    static let bitRatePerChannel: Int64 = 64_000

    init(audio: DemuxedAudio, into oc: UnsafeMutablePointer<AVFormatContext>) throws {
        self.audio = audio
        output = oc
        description = "\(audio.codecName) audio re-encoded as AAC"
        guard let decoderCodec = avcodec_find_decoder(audio.codecID) else {
            throw AudioRemuxer.Skip(reason: "MP4 cannot carry the input's \(audio.codecName) audio and FFmpeg cannot decode it")
        }
        guard let encoderCodec = avcodec_find_encoder(AV_CODEC_ID_AAC), let st = avformat_new_stream(oc, nil) else {
            throw AudioRemuxer.Skip(reason: "MP4 cannot carry the input's \(audio.codecName) audio and FFmpeg's AAC encoder is missing")
        }
        outStream = st
        consumer = audio.register()
        decoder = avcodec_alloc_context3(decoderCodec)
        encoder = avcodec_alloc_context3(encoderCodec)
        decoded = av_frame_alloc()
        packet = av_packet_alloc()
        do {
            guard let dec = decoder, let enc = encoder, decoded != nil, packet != nil else { throw skip("out of memory") }
            guard audio.copyParameters(toContext: dec), avcodec_open2(dec, decoderCodec, nil) >= 0 else { throw skip("cannot decode it") }
            if dec.pointee.ch_layout.order == AV_CHANNEL_ORDER_UNSPEC {
                let n = dec.pointee.ch_layout.nb_channels
                av_channel_layout_uninit(&dec.pointee.ch_layout)
                av_channel_layout_default(&dec.pointee.ch_layout, n)
            }
            let rate = AudioTranscoder.supportedRate(Int(dec.pointee.sample_rate))
            let channels = min(max(dec.pointee.ch_layout.nb_channels, 1), 2)
            av_channel_layout_default(&enc.pointee.ch_layout, channels)
            enc.pointee.sample_fmt = AV_SAMPLE_FMT_FLTP
            enc.pointee.sample_rate = Int32(rate)
            enc.pointee.bit_rate = AudioTranscoder.bitRatePerChannel * Int64(channels)
            enc.pointee.time_base = AVRational(num: 1, den: Int32(rate))
            if oc.pointee.oformat.pointee.flags & AVFMT_GLOBALHEADER != 0 { enc.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER }
            guard avcodec_open2(enc, encoderCodec, nil) >= 0 else { throw skip("FFmpeg's AAC encoder refused it") }
            guard avcodec_parameters_from_context(st.pointee.codecpar, enc) >= 0 else { throw skip("cannot add an audio stream") }
            st.pointee.time_base = enc.pointee.time_base
            guard swr_alloc_set_opts2(&resampler, &enc.pointee.ch_layout, AV_SAMPLE_FMT_FLTP, enc.pointee.sample_rate,
                                      &dec.pointee.ch_layout, dec.pointee.sample_fmt, dec.pointee.sample_rate, 0, nil) >= 0,
                  swr_init(resampler) >= 0 else { throw skip("cannot convert its samples") }
            fifo = av_audio_fifo_alloc(AV_SAMPLE_FMT_FLTP, channels, max(enc.pointee.frame_size, 1024))
            guard fifo != nil else { throw skip("out of memory") }
        } catch {
            release()
            audio.unregister(consumer)
            throw error
        }
    }

    deinit {
        release()
        audio.unregister(consumer)
    }

    private func skip(_ why: String) -> AudioRemuxer.Skip {
        AudioRemuxer.Skip(reason: "MP4 cannot carry the input's \(audio.codecName) audio, and re-encoding it as AAC failed: \(why)")
    }

    private func release() {
        avcodec_free_context(&decoder)
        avcodec_free_context(&encoder)
        swr_free(&resampler)
        if fifo != nil { av_audio_fifo_free(fifo); fifo = nil }
        av_frame_free(&decoded)
        av_packet_free(&packet)
    }

    /// The sample rate AAC takes nearest above `rate` (48 kHz for anything odd).
    static func supportedRate(_ rate: Int) -> Int {
        let rates = [7350, 8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000, 64000, 88200, 96000]
        return rates.contains(rate) ? rate : (rates.first { $0 >= rate } ?? 96000)
    }

    func copy(upTo dts: Int64?, timeBase: AVRational) throws {
        while let input = audio.next(for: consumer, notAfter: dts.map { ($0, timeBase) }) {
            defer { var p: UnsafeMutablePointer<AVPacket>? = input; av_packet_free(&p) }
            try decode(input)
        }
        if dts == nil {
            try decode(nil)
            try convert(nil)
            try encodeFrames(all: true)
            try encode(nil)
        }
    }

    /// Sends a packet (nil: the end) to the decoder and passes on what it gives back.
    private func decode(_ input: UnsafeMutablePointer<AVPacket>?) throws {
        guard let dec = decoder, let frame = decoded else { return }
        var rc = avcodec_send_packet(dec, input)
        if rc < 0 && rc != cffmpeg_error_eof() {
            dropped += 1  // a damaged packet costs its samples, not the track
            return
        }
        while true {
            rc = avcodec_receive_frame(dec, frame)
            if rc == cffmpeg_error_eagain() || rc == cffmpeg_error_eof() { return }
            if rc < 0 { throw fail("decoding: \(ffmpegMessage(rc))") }
            if nextPts == nil, let enc = encoder {
                let t = frame.pointee.best_effort_timestamp != cffmpeg_nopts() ? frame.pointee.best_effort_timestamp : 0
                nextPts = av_rescale_q(t, audio.timeBase, enc.pointee.time_base)
            }
            try convert(frame)
            av_frame_unref(frame)
            try encodeFrames(all: false)
        }
    }

    /// Converts decoded samples (nil: what the resampler still holds) and queues them for the encoder.
    private func convert(_ frame: UnsafeMutablePointer<AVFrame>?) throws {
        guard let enc = encoder, let swr = resampler else { return }
        guard let out = av_frame_alloc() else { throw fail("out of memory") }
        defer { var o: UnsafeMutablePointer<AVFrame>? = out; av_frame_free(&o) }
        out.pointee.format = AV_SAMPLE_FMT_FLTP.rawValue
        out.pointee.sample_rate = enc.pointee.sample_rate
        av_channel_layout_copy(&out.pointee.ch_layout, &enc.pointee.ch_layout)
        let rc = swr_convert_frame(swr, out, frame)
        if rc < 0 { throw fail("converting samples: \(ffmpegMessage(rc))") }
        guard out.pointee.nb_samples > 0 else { return }
        let written = out.pointee.extended_data.withMemoryRebound(to: UnsafeMutableRawPointer?.self, capacity: 8) {
            av_audio_fifo_write(fifo, $0, out.pointee.nb_samples)
        }
        if written < out.pointee.nb_samples { throw fail("out of memory") }
    }

    /// Encodes whole frames from the queue (`all`: the last, shorter one too).
    private func encodeFrames(all: Bool) throws {
        guard let enc = encoder else { return }
        let size = max(enc.pointee.frame_size, 1)
        while av_audio_fifo_size(fifo) >= size || (all && av_audio_fifo_size(fifo) > 0) {
            let n = min(size, av_audio_fifo_size(fifo))
            guard let frame = av_frame_alloc() else { throw fail("out of memory") }
            var owned: UnsafeMutablePointer<AVFrame>? = frame
            defer { av_frame_free(&owned) }
            frame.pointee.nb_samples = n
            frame.pointee.format = AV_SAMPLE_FMT_FLTP.rawValue
            frame.pointee.sample_rate = enc.pointee.sample_rate
            av_channel_layout_copy(&frame.pointee.ch_layout, &enc.pointee.ch_layout)
            guard av_frame_get_buffer(frame, 0) >= 0 else { throw fail("out of memory") }
            _ = frame.pointee.extended_data.withMemoryRebound(to: UnsafeMutableRawPointer?.self, capacity: 8) {
                av_audio_fifo_read(fifo, $0, n)
            }
            frame.pointee.pts = nextPts ?? 0
            nextPts = (nextPts ?? 0) + Int64(n)
            try encode(frame)
        }
    }

    /// Sends a frame (nil: the end) to the encoder and writes the packets it gives back.
    private func encode(_ frame: UnsafeMutablePointer<AVFrame>?) throws {
        guard let enc = encoder, let pkt = packet else { return }
        var rc = avcodec_send_frame(enc, frame)
        if rc < 0 && rc != cffmpeg_error_eof() { throw fail("encoding: \(ffmpegMessage(rc))") }
        while true {
            rc = avcodec_receive_packet(enc, pkt)
            if rc == cffmpeg_error_eagain() || rc == cffmpeg_error_eof() { return }
            if rc < 0 { throw fail("encoding: \(ffmpegMessage(rc))") }
            av_packet_rescale_ts(pkt, enc.pointee.time_base, outStream.pointee.time_base)
            pkt.pointee.stream_index = outStream.pointee.index
            rc = av_interleaved_write_frame(output, pkt)
            if rc < 0 { throw fail(ffmpegMessage(rc)) }
        }
    }

    private func fail(_ reason: String) -> MediaError {
        MediaError.encode(path: String(cString: output.pointee.url), reason: "audio: \(reason)")
    }
}
