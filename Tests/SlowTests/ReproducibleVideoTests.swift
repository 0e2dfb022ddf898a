import FaceMirror
import FaceMirrorCore
import FileDigest
import Foundation
import MediaBinding
import TestSupport
import XCTest

/// A video's files do not depend on what else its process handled: the same clip processed alone, after
/// another video, and after its process's heap was filled with other bytes, gives byte-identical mirrored
/// and debug videos. A 642-pixel-wide clip: the width at which x264's AVX-512 code read memory it never
/// wrote (`X264CPU`), and odd sizes are padded (swscale read past the end of the picture: `VideoWriter`).
final class ReproducibleVideoTests: XCTestCase {
    /// Allocates, fills with `byte` and frees blocks of many sizes: the next allocations get dirty memory.
    private func dirtyTheHeap(_ byte: Int32) {
        var blocks: [UnsafeMutableRawPointer] = []
        for i in 0..<200 {
            let n = 4096 + i * 8191
            let p = malloc(n)!
            memset(p, byte, n)
            blocks.append(p)
        }
        for p in blocks { free(p) }
    }

    private func videos(in folder: URL, stem: String) throws -> [String: String] {
        var out: [String: String] = [:]
        for suffix in [OutputNames.rightMirrored, OutputNames.leftMirrored, OutputNames.debug] {
            out[suffix] = try FileDigest.sha256(ofFile: folder.appendingPathComponent(stem + suffix).path)
        }
        return out
    }

    func testAVideosFilesDoNotDependOnWhatTheProcessDidBefore() throws {
        let dir = try Fixtures.scratch(self)
        let clip = dir.appendingPathComponent("c.mp4").path
        try Fixtures.ffmpeg(["-i", try Fixtures.sample(), "-frames:v", "24", "-vf", "scale=641:361", "-c:v", "libx264", "-pix_fmt", "yuv444p",
                             "-preset", "ultrafast", clip])
        let other = try Fixtures.sampleClip(frames: 12, in: dir, name: "a.mp4", fast: true)
        func run(_ video: String, _ processor: VideoProcessor, into name: String) throws -> URL {
            let out = dir.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            var options = ProcessOptions(outputDirectory: out)
            options.threads = 1
            options.encoder.threads = 1
            _ = try processor.process(video, options: options)
            return out
        }
        let alone = try videos(in: try run(clip, try VideoProcessor.dlibDefault(logger: Fixtures.logger), into: "alone"), stem: "c")
        let processor = try VideoProcessor.dlibDefault(logger: Fixtures.logger)
        _ = try run(other, processor, into: "first")
        dirtyTheHeap(0x5a)
        let afterAnother = try videos(in: try run(clip, processor, into: "after"), stem: "c")
        dirtyTheHeap(0xa5)
        let again = try videos(in: try run(clip, processor, into: "again"), stem: "c")
        XCTAssertEqual(afterAnother, alone, "the same clip after another video and a dirty heap")
        XCTAssertEqual(again, alone)
    }
}
