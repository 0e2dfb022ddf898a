import FaceMirror
import FaceMirrorCore
import Foundation
import ModelToolchain
import TestSupport
import XCTest

/// The three landmark filters on real clips: the default (centred) has no lag on the sample's known
/// motion and no more jitter than the seed's causal filter on a still face.
final class SmoothingTests: XCTestCase {
    private func landmarks(_ video: String, smoothing: LandmarkSmoothing, in dir: URL) throws -> (table: LandmarkTable, summary: ProcessSummary) {
        var options = ProcessOptions(outputDirectory: dir.appendingPathComponent(smoothing.rawValue))
        options.debugVideo = false
        options.following.smoothing = smoothing
        try FileManager.default.createDirectory(at: options.outputDirectory, withIntermediateDirectories: true)
        let summary = try VideoProcessor.dlibDefault(logger: Fixtures.logger).process(video, options: options)
        let stem = OutputNames.stem(of: video)
        return (try LandmarkTable(path: options.outputDirectory.appendingPathComponent(stem + OutputNames.landmarks).path), summary)
    }

    /// Distances to the known motion: every landmark, the glabella, the chin. The photo points come
    /// from the unsmoothed run (median over frames), so no filter is assumed in the truth.
    private func errors(_ t: LandmarkTable, truth: LandmarkTable, transforms: [(angle: Double, m: [Double])])
        -> (all: [Double], glabella: [Double], chin: [Double]) {
        func distances(_ xs: [Double], _ ys: [Double], _ photo: (x: Double, y: Double)) -> [Double] {
            (0..<xs.count).map { n in
                let e = Fixtures.apply(transforms[n].m, photo)
                return hypot(xs[n] - e.x, ys[n] - e.y)
            }
        }
        var all: [Double] = []
        for i in 0..<68 {
            let photo = Fixtures.photoPoint(truth.point(i), transforms: transforms)
            let p = t.point(i)
            all += distances(p.map(\.x), p.map(\.y), photo)
        }
        let g = Fixtures.photoPoint(Array(zip(truth.column("glabella_x"), truth.column("glabella_y"))), transforms: transforms)
        let c = Fixtures.photoPoint(Array(zip(truth.column("chin_x"), truth.column("chin_y"))), transforms: transforms)
        return (all, distances(t.column("glabella_x"), t.column("glabella_y"), g), distances(t.column("chin_x"), t.column("chin_y"), c))
    }

    func testCentredSmoothingFollowsTheMovingFaceWithoutLag() throws {
        let dir = try Fixtures.scratch(self)
        let sample = try Fixtures.sample()
        let transforms = try Fixtures.sampleTransforms()
        let none = try landmarks(sample, smoothing: .none, in: dir).table
        let centred = try landmarks(sample, smoothing: .centred, in: dir)
        let causal = try landmarks(sample, smoothing: .causal, in: dir).table
        XCTAssertEqual(centred.table.rows.count, 60, "every frame comes out, the last ones too")
        XCTAssertEqual(centred.table.column("frame"), (0..<60).map(Double.init), "in order")
        XCTAssertEqual(centred.summary.detections, 1)
        for (name, t) in [("none", none), ("centred", centred.table), ("causal", causal)] {
            let e = errors(t, truth: none, transforms: transforms)
            print(String(format: "%@: all landmarks median %.2f px (max %.2f); glabella median %.2f (max %.2f); chin median %.2f (max %.2f)",
                         name, Fixtures.median(e.all), e.all.max()!, Fixtures.median(e.glabella), e.glabella.max()!,
                         Fixtures.median(e.chin), e.chin.max()!))
        }
        let c = errors(centred.table, truth: none, transforms: transforms)
        XCTAssertLessThanOrEqual(Fixtures.median(c.all), 1.0)
        XCTAssertLessThanOrEqual(Fixtures.median(c.glabella), 1.0)
        XCTAssertLessThanOrEqual(c.glabella.max()!, 3.0)
        XCTAssertLessThanOrEqual(Fixtures.median(c.chin), 1.0)
        XCTAssertLessThanOrEqual(c.chin.max()!, 3.0)
        // The seed's causal filter trails the face by several pixels: what the centred one removes.
        XCTAssertGreaterThan(Fixtures.median(errors(causal, truth: none, transforms: transforms).all), 4)
    }

    func testCentredJitterOnAStillFaceIsNoLargerThanCausal() throws {
        let dir = try Fixtures.scratch(self)
        // The photo standing still for two seconds, with fresh sensor-like noise on every frame.
        let still = dir.appendingPathComponent("still.mp4").path
        try Fixtures.ffmpeg(["-loop", "1", "-i", Fixtures.photo, "-vf", "pad=1280:720:(ow-iw)/2:(oh-ih)/2:gray,noise=alls=8:allf=t,format=yuv420p",
                             "-frames:v", "60", "-r", "30", "-c:v", "libx264", "-crf", "18", still])
        func jitter(_ smoothing: LandmarkSmoothing) throws -> Double {
            let t = try landmarks(still, smoothing: smoothing, in: dir).table
            var moves: [Double] = []
            for i in 0..<68 {
                let p = t.point(i)
                moves += zip(p.dropFirst(), p).map { hypot($0.x - $1.x, $0.y - $1.y) }
            }
            return Fixtures.median(moves)
        }
        let centred = try jitter(.centred), causal = try jitter(.causal), none = try jitter(.none)
        print(String(format: "still clip, frame-to-frame jitter (median): none %.3f px, causal %.3f px, centred %.3f px", none, causal, centred))
        XCTAssertLessThanOrEqual(centred, causal)
        XCTAssertLessThan(centred, none)
    }
}
