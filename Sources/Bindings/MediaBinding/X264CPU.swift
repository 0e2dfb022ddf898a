import CFFmpeg

/// The CPU features x264 may use. On a CPU with AVX-512, x264 (core 164, Debian 12's) reads memory it
/// never wrote in its AVX-512 code for some picture widths (642 and 656 pixels, not 640 or 1080): the
/// same pictures then gave other bits depending on what the process's heap held before, so a video's
/// mirrored files differed with the videos processed before it, and from run to run with several jobs.
/// x264's code for each feature gives the same bits as its plain C, so leaving AVX-512 out gives the
/// bits every other CPU gives, at no speed difference we could measure (300 frames of 640x360 at
/// veryfast, one thread: 1.17–1.19 s with AVX-512, 1.12–1.21 s without).
enum X264CPU {
    /// x264's `asm` list: FFmpeg's view of this CPU without AVX-512; nil where there is no AVX-512 (x264
    /// then detects the CPU itself).
    static let withoutAVX512: String? = {
        #if arch(x86_64)
        let flags = av_get_cpu_flags()
        guard flags & AV_CPU_FLAG_AVX512 != 0 else { return nil }
        // x264's names for FFmpeg's flags, in x264's order; a feature missing here only makes x264 pick
        // another (bit-exact) routine.
        let names: [(Int32, String)] = [
            (AV_CPU_FLAG_MMXEXT, "MMX2"), (AV_CPU_FLAG_SSE, "SSE"), (AV_CPU_FLAG_SSE2, "SSE2"), (AV_CPU_FLAG_SSE3, "SSE3"),
            (AV_CPU_FLAG_SSSE3, "SSSE3"), (AV_CPU_FLAG_SSE4, "SSE4.1"), (AV_CPU_FLAG_SSE42, "SSE4.2"), (AV_CPU_FLAG_AVX, "AVX"),
            (AV_CPU_FLAG_XOP, "XOP"), (AV_CPU_FLAG_FMA4, "FMA4"), (AV_CPU_FLAG_FMA3, "FMA3"), (AV_CPU_FLAG_BMI1, "BMI1"),
            (AV_CPU_FLAG_BMI2, "BMI2"), (AV_CPU_FLAG_AVX2, "AVX2"),
        ]
        var list = names.filter { flags & $0.0 != 0 }.map(\.1)
        if flags & AV_CPU_FLAG_SSE2 != 0, flags & AV_CPU_FLAG_SSE2SLOW == 0 { list.append("SSE2Fast") }
        return list.joined(separator: ",")
        #else
        return nil
        #endif
    }()
}
