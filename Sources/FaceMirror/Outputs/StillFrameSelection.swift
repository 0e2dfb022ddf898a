/// Which frames a run keeps pictures of for `<stem>_exam_stills.jpg` before the exam is known: the
/// first frame with a face in each `spacing`-second slot of the video's clock (10 a second). Past
/// `capacity` kept frames every other one is let go and the spacing doubles, so that memory stays
/// bounded on an hour-long video. A row of the sheet shows the kept frame nearest the one the exam
/// names; the exam made again from the outputs runs the same selection over the landmark CSV, so that
/// both show the same frames.
public struct StillFrameSelection {
    public static let capacity = 4096
    public private(set) var spacing = 0.1
    /// The kept frames' numbers, in order.
    public private(set) var kept: [Int] = []
    private var lastSlot = Int.min

    public init() {}

    /// Offers a frame with a face; whether it is kept, and the frames let go to make room.
    public mutating func offer(index: Int, time: Double) -> (keep: Bool, dropped: [Int]) {
        // A microsecond of tolerance: frame times on a 30 fps clock are not exact tenths.
        let slot = Int((time / spacing + 1e-6).rounded(.down))
        guard slot != lastSlot else { return (false, []) }
        lastSlot = slot
        kept.append(index)
        guard kept.count > StillFrameSelection.capacity else { return (true, []) }
        spacing *= 2
        lastSlot = Int((time / spacing + 1e-6).rounded(.down))
        let dropped = kept.enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
        kept = kept.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
        return (kept.last == index, dropped)
    }

    /// The kept frame nearest `frame` (the earlier one on a tie).
    public func nearest(_ frame: Int) -> Int? {
        var lo = 0, hi = kept.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if kept[mid] < frame { lo = mid + 1 } else { hi = mid }
        }
        return [lo - 1, lo].filter { kept.indices.contains($0) }.map { kept[$0] }.min { abs($0 - frame) < abs($1 - frame) }
    }
}
