import FaceMirror
import FaceMirrorCore
import Foundation

/// A batch's progress as every front end shows it: videos done, failed, skipped of the total, the
/// frames per second, an ETA by bytes (finished videos whole, running ones by their share of frames),
/// and a line per running video. Not thread-safe: its owner (the terminal's display, the workspace's
/// run) holds a lock around it, as the batch's jobs report from their threads.
public struct BatchTally: Sendable {
    public struct Running: Sendable {
        public let key: String
        public let bytes: Int64
        public var frames = 0
        public var expected: Int?

        /// `key: 120/900 frames`.
        public var line: String { "\(key): " + (expected.map { "\(frames)/\($0) frames" } ?? "\(frames) frames") }
    }

    public let total: Int
    private let bytes: [String: Int64]
    private let clock = Date()
    public private(set) var running: [String: Running] = [:]
    /// The running videos' paths in the order they started.
    public private(set) var order: [String] = []
    public private(set) var done = 0
    /// Processed videos in which no frame had a face.
    public private(set) var withoutFace = 0
    public private(set) var failed = 0
    public private(set) var skipped = 0
    /// Left to other processes that work on them.
    public private(set) var busy = 0
    /// Given back unfinished when the batch was stopped.
    public private(set) var stopped = 0
    private var framesFinished = 0
    private var bytesFinished: Int64 = 0
    private var bytesLeft: Int64 = 0

    /// `inputs`' sizes are read for the ETA; `problems` are refused before any work and counted in the total.
    public init(inputs: [StudyInput], problems: Int) {
        total = inputs.count + problems
        var sizes: [String: Int64] = [:]
        for input in inputs {
            sizes[input.path] = (try? FileManager.default.attributesOfItem(atPath: input.path)[.size] as? NSNumber)?.int64Value ?? 0
        }
        bytes = sizes
    }

    public mutating func started(_ input: StudyInput) {
        running[input.path] = Running(key: input.key, bytes: bytes[input.path] ?? 0)
        order.append(input.path)
    }

    public mutating func progress(_ input: StudyInput, framesDone: Int, framesExpected: Int?) {
        running[input.path]?.frames = framesDone
        running[input.path]?.expected = framesExpected
    }

    public mutating func finished(_ input: StudyInput, frames: Int, noFace: Bool) {
        end(input.path)
        if noFace { withoutFace += 1 } else { done += 1 }
        framesFinished += frames
    }

    /// Its exam was made again (or could not be): it counts as done.
    public mutating func examRedone(_ input: StudyInput) {
        end(input.path)
        done += 1
    }

    public mutating func failed(_ path: String) {
        end(path)
        failed += 1
    }

    public mutating func skipped(_ input: StudyInput) {
        skipped += 1
        bytesLeft += bytes[input.path] ?? 0
    }

    public mutating func busy(_ input: StudyInput) {
        busy += 1
        bytesLeft += bytes[input.path] ?? 0
    }

    public mutating func stopped(_ input: StudyInput) {
        if let r = running.removeValue(forKey: input.path) { bytesLeft += r.bytes }
        order.removeAll { $0 == input.path }
        stopped += 1
    }

    /// Videos with an outcome so far.
    public var ended: Int { done + withoutFace + failed + skipped + busy + stopped }

    /// `batch: 3/10 videos (2 done, 1 failed[, 1 skipped]), 41.0 FPS, ETA 2:10`.
    public var batchLine: String {
        let elapsed = Date().timeIntervalSince(clock)
        let frames = framesFinished + running.values.reduce(0) { $0 + $1.frames }
        let fps = elapsed > 0 ? Double(frames) / elapsed : 0
        let partial = running.values.reduce(0.0) { sum, r in
            guard let e = r.expected, e > 0 else { return sum }
            return sum + Double(r.bytes) * min(1, Double(r.frames) / Double(e))
        }
        let work = Double(bytes.values.reduce(0, +) - bytesLeft)
        let doneWork = Double(bytesFinished) + partial
        var line = "batch: \(ended)/\(total) videos (\(done) done"
            + (withoutFace > 0 ? ", \(withoutFace) \(VideoStatus.noFace.label)" : "") + ", \(failed) failed"
        line += skipped == 0 ? "" : ", \(skipped) skipped"
        line += stopped == 0 ? ")" : ", \(stopped) stopped)"
        line += String(format: ", %.1f FPS", fps)
        if doneWork > 0, work > doneWork {
            line += ", ETA " + BatchTally.clock(elapsed * (work - doneWork) / doneWork)
        }
        return line
    }

    /// One line per running video, in the order they started.
    public var runningLines: [String] { order.compactMap { running[$0]?.line } }

    /// `m:ss`, or `h:mm:ss` from an hour.
    public static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }

    private mutating func end(_ path: String) {
        if let r = running.removeValue(forKey: path) { bytesFinished += r.bytes }
        order.removeAll { $0 == path }
    }
}
