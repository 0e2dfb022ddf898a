import CFFmpeg
import Foundation
import FaceMirrorCore

/// Why a video could not be read or written, naming the file.
public enum MediaError: Error, CustomStringConvertible, Sendable {
    case missing(path: String)
    case empty(path: String)
    /// Something is at the path, but not a video file (`what` says what it is).
    case notAFile(path: String, what: String)
    case notAVideo(path: String, reason: String)
    case noVideoStream(path: String)
    case decode(path: String, reason: String)
    case truncated(path: String, decoded: Int, expected: Int)
    case truncatedDuration(path: String, decoded: Double, announced: Double)
    case encode(path: String, reason: String)
    case unsupported(path: String, reason: String)

    public var description: String {
        switch self {
        case .missing(let p): return "\(p): no such file"
        case .empty(let p): return "\(p): the file is empty"
        case .notAFile(let p, let what): return "\(p): \(what), not a video file"
        case .notAVideo(let p, let r): return "\(p): not a readable video (\(r))"
        case .noVideoStream(let p): return "\(p): the file has no video stream"
        case .decode(let p, let r): return "\(p): cannot decode the video (\(r))"
        case .truncated(let p, let d, let e):
            return "\(p): the file is truncated or damaged (decoded \(d) of the \(e) frames its header announces)"
        case .truncatedDuration(let p, let d, let a):
            return "\(p): the file is truncated or damaged (decoded " + String(format: "%.2f s of the %.2f s", d, a) + " its header announces)"
        case .encode(let p, let r): return "\(p): cannot write the video (\(r))"
        case .unsupported(let p, let r): return "\(p): \(r)"
        }
    }
}

/// FFmpeg's text for an error code.
func ffmpegMessage(_ code: Int32) -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    cffmpeg_strerror(code, &buffer, buffer.count)
    return String(nulTerminated: buffer)
}

/// A rational number as FFmpeg keeps time bases and frame rates.
public struct Rational: Sendable, Equatable, CustomStringConvertible {
    public var num: Int32
    public var den: Int32
    public init(_ num: Int32, _ den: Int32) { self.num = num; self.den = den }
    init(_ r: AVRational) { self.init(r.num, r.den) }
    var av: AVRational { AVRational(num: num, den: den) }
    public var value: Double { den == 0 ? .nan : Double(num) / Double(den) }
    public var description: String { "\(num)/\(den)" }
}
