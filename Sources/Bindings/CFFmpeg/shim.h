// FFmpeg headers for Swift, plus the macros Swift cannot import, as inline functions.
#ifndef CFFMPEG_SHIM_H
#define CFFMPEG_SHIM_H
#include <errno.h>
#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libswscale/swscale.h>
#include <libswresample/swresample.h>
#include <libavfilter/avfilter.h>
#include <libavfilter/buffersrc.h>
#include <libavfilter/buffersink.h>
#include <libavutil/audio_fifo.h>
#include <libavutil/channel_layout.h>
#include <libavutil/avutil.h>
#include <libavutil/cpu.h>
#include <libavutil/display.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>

static inline int cffmpeg_error_eagain(void) { return AVERROR(EAGAIN); }
static inline int cffmpeg_error_eof(void) { return AVERROR_EOF; }
static inline int cffmpeg_error_invaliddata(void) { return AVERROR_INVALIDDATA; }
static inline int64_t cffmpeg_nopts(void) { return AV_NOPTS_VALUE; }

/// Rotation (degrees, counter-clockwise) stored in the stream's display matrix, or 0 when none.
/// FFmpeg 6.1 (libavcodec 60.30.100) moved stream side data into the codec parameters and 7.0 removed
/// av_stream_get_side_data; 5.1 (Debian 12) has only the latter.
static inline double cffmpeg_stream_rotation(const AVStream *st) {
    size_t size = 0;
    const uint8_t *m = NULL;
#if LIBAVCODEC_VERSION_INT >= AV_VERSION_INT(60, 30, 100)
    const AVPacketSideData *sd = av_packet_side_data_get(st->codecpar->coded_side_data, st->codecpar->nb_coded_side_data,
                                                         AV_PKT_DATA_DISPLAYMATRIX);
    if (sd) { m = sd->data; size = sd->size; }
#else
    m = av_stream_get_side_data(st, AV_PKT_DATA_DISPLAYMATRIX, &size);
#endif
    if (!m || size < 9 * sizeof(int32_t)) return 0;
    double r = av_display_rotation_get((const int32_t *)m);
    return r != r ? 0 : r;  /* NaN → 0 */
}

/// A decoded frame's duration in stream time-base units: `duration` from libavutil 57.30.100 (after 5.1),
/// `pkt_duration` before (removed in FFmpeg 7.0).
static inline int64_t cffmpeg_frame_duration(const AVFrame *f) {
#if LIBAVUTIL_VERSION_INT >= AV_VERSION_INT(57, 30, 100)
    return f->duration;
#else
    return f->pkt_duration;
#endif
}

/// The text of an FFmpeg error code.
static inline void cffmpeg_strerror(int code, char *buf, size_t len) {
    if (av_strerror(code, buf, len) < 0) snprintf(buf, len, "error %d", code);
}
/// FFmpeg's log lines, formatted as its own printer formats them, handed to one function of the
/// caller's (Swift cannot take a va_list callback). Used from one Swift file, which holds the state.
/// `tag`: the `opaque` of the format or codec context that logged it (a reader sets its own there;
/// the decoder's frame-thread copies carry it too), 0 for any other context.
typedef void (*cffmpeg_log_sink)(int level, const char *text, intptr_t tag);

/// The one sink, kept inside a function (a header's file-level static is not emitted into Swift).
static inline cffmpeg_log_sink *cffmpeg_log_sink_slot(void) {
    static cffmpeg_log_sink sink = 0;
    return &sink;
}

static inline void cffmpeg_log_callback(void *context, int level, const char *format, va_list arguments) {
    static int print_prefix = 1;
    cffmpeg_log_sink sink = *cffmpeg_log_sink_slot();
    if (level > av_log_get_level() || !sink) return;
    char text[1024];
    av_log_format_line2(context, level, format, arguments, text, sizeof text, &print_prefix);
    intptr_t tag = 0;
    const AVClass *cls = context ? *(const AVClass **)context : 0;
    if (cls && cls->class_name) {
        if (strcmp(cls->class_name, "AVCodecContext") == 0) tag = (intptr_t)((AVCodecContext *)context)->opaque;
        else if (strcmp(cls->class_name, "AVFormatContext") == 0) tag = (intptr_t)((AVFormatContext *)context)->opaque;
    }
    sink(level, text, tag);
}

static inline void cffmpeg_set_log_sink(cffmpeg_log_sink sink) {
    *cffmpeg_log_sink_slot() = sink;
    av_log_set_callback(sink ? cffmpeg_log_callback : av_log_default_callback);
}
#endif
