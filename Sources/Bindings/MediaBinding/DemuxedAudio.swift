import CFFmpeg
import Foundation

/// The input's audio stream as the `VideoReader` meets it while demuxing the video: its codec
/// parameters and packets, kept until every `VideoWriter` that copies them has written them. The
/// input is opened once; each writer reads the packets with a cursor of its own.
public final class DemuxedAudio: @unchecked Sendable {
    public let codecName: String
    let timeBase: AVRational
    private var parameters: UnsafeMutablePointer<AVCodecParameters>?
    private let lock = NSLock()
    /// Packets not yet taken by every registered writer; `packets[0]` has sequence number `first`.
    private var packets: [UnsafeMutablePointer<AVPacket>?] = []
    private var first = 0
    private var cursors: [Int: Int] = [:]
    private var nextConsumer = 0
    private var keepUnclaimed = true

    init?(stream: UnsafeMutablePointer<AVStream>) {
        guard let par = avcodec_parameters_alloc() else { return nil }
        guard avcodec_parameters_copy(par, stream.pointee.codecpar) >= 0 else {
            var p: UnsafeMutablePointer<AVCodecParameters>? = par
            avcodec_parameters_free(&p)
            return nil
        }
        parameters = par
        timeBase = stream.pointee.time_base
        codecName = String(cString: avcodec_get_name(par.pointee.codec_id))
    }

    deinit {
        for i in packets.indices where packets[i] != nil { av_packet_free(&packets[i]) }
        avcodec_parameters_free(&parameters)
    }

    var codecID: AVCodecID { parameters!.pointee.codec_id }

    /// Packets kept because a registered writer has not written them yet (or, before
    /// `writersAreRegistered`, because one still may).
    public var heldPackets: Int {
        lock.lock(); defer { lock.unlock() }
        return packets.count
    }

    /// Copies the stream's codec parameters into an output stream's.
    func copyParameters(to out: UnsafeMutablePointer<AVCodecParameters>) -> Bool {
        avcodec_parameters_copy(out, parameters) >= 0
    }

    /// Sets up a decoder's context from the stream's codec parameters.
    func copyParameters(toContext context: UnsafeMutablePointer<AVCodecContext>) -> Bool {
        guard avcodec_parameters_to_context(context, parameters) >= 0 else { return false }
        context.pointee.pkt_timebase = timeBase
        return true
    }

    /// Keeps a reference to a packet the reader demuxed (none once nobody will read them).
    func append(_ packet: UnsafePointer<AVPacket>) {
        lock.lock(); defer { lock.unlock() }
        guard keepUnclaimed || !cursors.isEmpty, let copy = av_packet_clone(packet) else { return }
        packets.append(copy)
    }

    /// Says that every writer that will copy the audio is registered: from now on packets are kept
    /// only until those have written them, and not at all when there are none (when MP4 cannot carry
    /// the codec, say), so that a long video's audio does not pile up in memory.
    public func writersAreRegistered() {
        lock.lock(); defer { lock.unlock() }
        keepUnclaimed = false
        if cursors.isEmpty {
            for i in packets.indices { av_packet_free(&packets[i]) }
            first += packets.count
            packets.removeAll()
        }
    }

    /// A new reader of the packets, from the oldest one kept: every packet when the consumer is
    /// registered before the others have taken any (writers are made before the frames are read).
    func register() -> Int {
        lock.lock(); defer { lock.unlock() }
        nextConsumer += 1
        cursors[nextConsumer] = first
        return nextConsumer
    }

    func unregister(_ consumer: Int) {
        lock.lock(); defer { lock.unlock() }
        cursors[consumer] = nil
        dropTaken()
    }

    /// The consumer's next packet (a new reference, the caller's to free) when its time is at or
    /// before `limit`, or any next packet when `limit` is nil; nil when there is none (yet).
    func next(for consumer: Int, notAfter limit: (ts: Int64, timeBase: AVRational)?) -> UnsafeMutablePointer<AVPacket>? {
        lock.lock(); defer { lock.unlock() }
        guard let cursor = cursors[consumer], cursor - first < packets.count, let p = packets[cursor - first] else { return nil }
        let t = p.pointee.dts != cffmpeg_nopts() ? p.pointee.dts : p.pointee.pts
        if let limit, limit.ts != cffmpeg_nopts(), t != cffmpeg_nopts(), av_compare_ts(t, timeBase, limit.ts, limit.timeBase) > 0 {
            return nil
        }
        cursors[consumer] = cursor + 1
        let copy = av_packet_clone(p)
        dropTaken()
        return copy
    }

    /// Frees the packets every registered consumer has taken (all of them are kept while none is registered).
    private func dropTaken() {
        guard let lowest = cursors.values.min() else { return }
        let n = lowest - first
        guard n > 0 else { return }
        for i in 0..<n { av_packet_free(&packets[i]) }
        packets.removeFirst(n)
        first = lowest
    }
}
