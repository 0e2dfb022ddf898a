import Foundation

/// `--shard K/N`: the K-th (from 0) of N slices of a study's videos, so that N machines (a Slurm job
/// array, a Kubernetes Indexed Job) split a study with no coordinator. Every shard computes the same
/// split from the same videos: largest first (ties by path), each to the slice with the fewest bytes
/// so far (ties to the lowest slice), which keeps the slices' sizes close.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    public init?(index: Int, count: Int) {
        guard count >= 1, (0..<count).contains(index) else { return nil }
        self.index = index
        self.count = count
    }

    /// "K/N", K from 0 (as `$SLURM_ARRAY_TASK_ID` for `--array=0-(N-1)` and `$JOB_COMPLETION_INDEX` count).
    public init?(_ text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]) else { return nil }
        self.init(index: k, count: n)
    }

    public var description: String { "\(index)/\(count)" }

    /// The videos of this shard, in their original order.
    public func select(_ inputs: [StudyInput]) -> [StudyInput] {
        let sized = inputs.enumerated().map { i, input -> (i: Int, key: String, bytes: Int64) in
            let bytes = (try? FileManager.default.attributesOfItem(atPath: input.path)[.size] as? NSNumber)?.int64Value ?? 0
            return (i, input.key, bytes)
        }
        var load = [Int64](repeating: 0, count: count)
        var mine = Set<Int>()
        for item in sized.sorted(by: { $0.bytes != $1.bytes ? $0.bytes > $1.bytes : $0.key < $1.key }) {
            let target = load.indices.min { load[$0] != load[$1] ? load[$0] < load[$1] : $0 < $1 }!
            load[target] += item.bytes
            if target == index { mine.insert(item.i) }
        }
        return inputs.enumerated().filter { mine.contains($0.offset) }.map(\.element)
    }
}
