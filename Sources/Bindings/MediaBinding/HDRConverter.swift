import CFFmpeg
import FaceMirrorCore
import Foundation

/// Turns HDR pictures (HLG or PQ transfer, usually BT.2020 primaries and 10 bits: a phone's HDR video) into
/// the SDR BT.709 BGR the detectors and the mirrored videos use, with FFmpeg's own colour handling (zscale,
/// and tonemap for PQ). Read as if they were SDR, their 10-bit BT.2020 values give a face 60 % too bright
/// in the mid-tones and washed-out colours.
final class HDRConverter {
    enum Transfer: String {
        case hlg = "HLG", pq = "PQ"

        init?(_ trc: AVColorTransferCharacteristic) {
            switch trc {
            case AVCOL_TRC_ARIB_STD_B67: self = .hlg
            case AVCOL_TRC_SMPTE2084: self = .pq
            default: return nil
            }
        }

        /// HLG is made to be shown on SDR screens: converting its signal to BT.709 keeps a face's levels
        /// (the sample through ffmpeg's zscale to HLG and back: mean luma 110.4 against 109.9). PQ's
        /// absolute levels go through linear light (100 nits = SDR white), BT.709 primaries and the Möbius tone
        /// curve, which keeps levels up to SDR white nearly as they are and folds in only brighter ones (the
        /// sample through zscale to PQ and back: face luma 110 against 120; Hable's curve, which also darkens
        /// mid-tones, gives 77).
        var filters: String {
            switch self {
            case .hlg: return "zscale=t=bt709:m=bt709:p=bt709:r=tv"
            case .pq: return "zscale=t=linear:npl=100,format=gbrpf32le,zscale=p=bt709,tonemap=tonemap=mobius:desat=0,zscale=t=bt709:m=bt709:r=tv"
            }
        }
    }

    let transfer: Transfer
    private var graph: UnsafeMutablePointer<AVFilterGraph>?
    private var source: UnsafeMutablePointer<AVFilterContext>?
    private var sink: UnsafeMutablePointer<AVFilterContext>?
    private var converted: UnsafeMutablePointer<AVFrame>?
    private let path: String

    init(transfer: Transfer, width: Int32, height: Int32, pixelFormat: Int32, path: String) throws {
        self.transfer = transfer
        self.path = path
        graph = avfilter_graph_alloc()
        converted = av_frame_alloc()
        guard let graph, converted != nil,
              let bufferFilter = avfilter_get_by_name("buffer"), let sinkFilter = avfilter_get_by_name("buffersink") else {
            throw MediaError.decode(path: path, reason: "FFmpeg's filters are missing (libavfilter)")
        }
        let args = "video_size=\(width)x\(height):pix_fmt=\(pixelFormat):time_base=1/1:pixel_aspect=1/1"
        var rc = avfilter_graph_create_filter(&source, bufferFilter, "in", args, nil, graph)
        if rc >= 0 { rc = avfilter_graph_create_filter(&sink, sinkFilter, "out", nil, nil, graph) }
        guard rc >= 0 else { throw fail("cannot set up the conversion", rc) }
        var outputs = avfilter_inout_alloc(), inputs = avfilter_inout_alloc()
        defer {
            avfilter_inout_free(&outputs)
            avfilter_inout_free(&inputs)
        }
        guard let o = outputs, let i = inputs else { throw MediaError.decode(path: path, reason: "out of memory") }
        o.pointee.name = av_strdup("in"); o.pointee.filter_ctx = source; o.pointee.pad_idx = 0; o.pointee.next = nil
        i.pointee.name = av_strdup("out"); i.pointee.filter_ctx = sink; i.pointee.pad_idx = 0; i.pointee.next = nil
        rc = avfilter_graph_parse_ptr(graph, transfer.filters + ",format=bgr24", &inputs, &outputs, nil)
        if rc >= 0 { rc = avfilter_graph_config(graph, nil) }
        guard rc >= 0 else {
            throw fail("FFmpeg's zscale filter is needed to convert \(transfer.rawValue) video to SDR (an FFmpeg built with zimg)", rc)
        }
    }

    deinit {
        avfilter_graph_free(&graph)
        av_frame_free(&converted)
    }

    private func fail(_ what: String, _ rc: Int32) -> MediaError {
        MediaError.decode(path: path, reason: "\(what): \(ffmpegMessage(rc))")
    }

    /// The picture as 8-bit SDR BGR.
    func convert(_ frame: UnsafeMutablePointer<AVFrame>) throws -> Image {
        guard let converted else { throw MediaError.decode(path: path, reason: "out of memory") }
        var rc = av_buffersrc_add_frame_flags(source, frame, Int32(AV_BUFFERSRC_FLAG_KEEP_REF))
        if rc >= 0 { rc = av_buffersink_get_frame(sink, converted) }
        guard rc >= 0 else { throw fail("converting \(transfer.rawValue) to SDR", rc) }
        defer { av_frame_unref(converted) }
        let w = Int(converted.pointee.width), h = Int(converted.pointee.height), stride = Int(converted.pointee.linesize.0)
        var image = Image(width: w, height: h)
        guard let data = converted.pointee.data.0 else { throw MediaError.decode(path: path, reason: "no picture from the conversion") }
        let rowBytes = image.stride
        image.pixels.withUnsafeMutableBufferPointer { dst in
            for y in 0..<h {
                (dst.baseAddress! + y * rowBytes).update(from: data + y * stride, count: w * 3)
            }
        }
        return image
    }
}
