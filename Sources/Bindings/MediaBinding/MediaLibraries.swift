import CFFmpeg

/// The FFmpeg libraries this build runs with, for provenance records.
public enum MediaLibraries {
    /// "ffmpeg" (the build's version string) and each library's major.minor.micro.
    public static var versions: [String: String] {
        func v(_ n: UInt32) -> String { "\(n >> 16).\((n >> 8) & 0xFF).\(n & 0xFF)" }
        return ["ffmpeg": String(cString: av_version_info()), "libavformat": v(avformat_version()), "libavcodec": v(avcodec_version()),
                "libswscale": v(swscale_version()), "libavutil": v(avutil_version())]
    }
}
