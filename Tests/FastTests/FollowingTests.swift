import FaceMirror
import FaceMirrorCore
import Foundation
import Logging
import MediaBinding
import TestSupport
import XCTest

/// The face tracker and follower with scripted stages (`ScriptedScene`): which stage runs on which
/// frame, on what picture, and what comes out, without a model or a video.
final class FollowingTests: XCTestCase {
    static let width = 640, height = 480
    static let picture = ScriptedScene.picture(width: width, height: height)

    static func face(_ x: Double, _ y: Double, size: Double = 160) -> FaceBox {
        FaceBox(left: x, top: y, right: x + size, bottom: y + size, score: 0.9)
    }

    /// Runs the tracker over the scene's frames (the picture of `pictures[n]` when given, else the scene's).
    private func track(_ scene: ScriptedScene, pictures: [Int: Image] = [:]) -> (tracker: FaceTracker, outcomes: [FaceTracker.Outcome]) {
        let tracker = FaceTracker(detector: ScriptedDetector(scene), landmarker: ScriptedLandmarks(scene))
        var outcomes: [FaceTracker.Outcome] = []
        for n in scene.faces.indices {
            scene.frame = n
            outcomes.append(tracker.next(pictures[n] ?? Self.picture, timer: StageTimer()))
        }
        return (tracker, outcomes)
    }

    private func landmarkCalls(_ scene: ScriptedScene, frame: Int) -> Int { scene.landmarkCalls.filter { $0.frame == frame }.count }

    private func result(_ outcome: FaceTracker.Outcome) -> FaceTracker.Result? {
        if case .face(let r) = outcome { return r }
        return nil
    }

    func testDetectsOnceThenFollowsWithOneFitPerFrame() {
        let scene = ScriptedScene(faces: (0..<10).map { n in [Self.face(200 + 4 * Double(n), 150)] })
        let (tracker, outcomes) = track(scene)
        XCTAssertEqual(tracker.detections, 1)
        XCTAssertEqual(scene.detectorCalls.map(\.frame), [0])
        XCTAssertEqual(outcomes.map { result($0)?.detected }, [true] + [Bool?](repeating: false, count: 9))
        for n in 0..<10 {
            XCTAssertEqual(landmarkCalls(scene, frame: n), 1, "frame \(n)")
            // The face moved 4 px a frame; the followed fit found it there.
            XCTAssertEqual(result(outcomes[n])?.landmarks.midline.glabella.x ?? 0, 200 + 4 * Double(n) + 80, accuracy: 1e-3)
        }
    }

    /// A landmark model whose points do not predict the next box: after 3 failed follows in a row the
    /// tracker goes straight to the detector (one fit a frame), searching a region around the last face,
    /// the whole frame again every 30 frames, when it also tries following again.
    func testGoesDetectorFirstAfterThreeFailedFollowsAndSearchesARegion() throws {
        let scene = ScriptedScene(faces: (0..<36).map { _ in [Self.face(240, 160)] })
        scene.followingWorks = false
        let (tracker, outcomes) = track(scene)
        XCTAssertEqual(FaceTracker.failuresBeforeDetectionFirst, 3)
        XCTAssertEqual(FaceTracker.followRetryInterval, 30)
        XCTAssertEqual(landmarkCalls(scene, frame: 0), 1, "detected, fitted once")
        for n in 1...3 { XCTAssertEqual(landmarkCalls(scene, frame: n), 2, "frame \(n): a failed follow, then the detection's fit") }
        for n in 4...33 { XCTAssertEqual(landmarkCalls(scene, frame: n), 1, "frame \(n): detector first, one fit") }
        XCTAssertEqual(landmarkCalls(scene, frame: 34), 2, "following tried again after 30 frames")
        XCTAssertEqual(landmarkCalls(scene, frame: 35), 1)
        XCTAssertTrue(outcomes.allSatisfy { result($0)?.detected == true }, "every frame's face comes from a detection")
        // Frames 4-33 search a region (two face sizes around the last face, on a 32-px grid); frame 34 the
        // whole frame; then regions again.
        let regionFrames = scene.detectorCalls.filter { $0.width < Self.width || $0.height < Self.height }.map(\.frame)
        XCTAssertEqual(regionFrames, Array(4...33) + [35])
        XCTAssertEqual(tracker.regionDetections, 31)
        let region = try XCTUnwrap(scene.detectorCalls.first { $0.frame == 4 })
        // Centre (320, 240) ± 160 px: x 160…480, y 80…400, widened to the 32-px grid: y 64…416.
        XCTAssertEqual(region.width, 320)
        XCTAssertEqual(region.height, 352)
        XCTAssertEqual(scene.detectorCalls.filter { $0.frame == 34 }.map(\.width), [Self.width])
        // A face found in a region is placed where it is in the frame.
        for n in [4, 20, 33] {
            let box = try XCTUnwrap(result(outcomes[n])?.box)
            XCTAssertEqual(box.left, 240, accuracy: 1e-9)
            XCTAssertEqual(box.top, 160, accuracy: 1e-9)
        }
    }

    /// The tracker forgets a lost face: the next frame with one starts with the detector, and the
    /// follower starts a new track there (smoothing never mixes two tracks).
    func testAFrameWithoutAFaceEndsTheTrackAndTheNextDetects() {
        var faces: [[FaceBox]] = (0..<5).map { _ in [Self.face(100, 100)] }
        faces.append([])
        faces += (0..<4).map { _ in [Self.face(400, 200)] }
        let scene = ScriptedScene(faces: faces)
        let follower = FaceFollower(detector: ScriptedDetector(scene), landmarker: ScriptedLandmarks(scene),
                                    settings: FaceFollower.Settings(smoothing: .none), videoName: "scene", logger: Logger(label: "test"))
        var analyses: [FrameAnalysis] = []
        for n in faces.indices {
            scene.frame = n
            analyses += follower.add(VideoFrame(index: n, pts: Int64(n), duration: 1, time: Double(n), image: Self.picture),
                                     timer: StageTimer()).map(\.analysis)
        }
        analyses += follower.finish().map(\.analysis)
        XCTAssertEqual(analyses.map(\.index), Array(0..<10))
        XCTAssertEqual(analyses.map(\.status.description),
                       ["detected", "tracked", "tracked", "tracked", "tracked", "no face detected", "detected", "tracked", "tracked", "tracked"])
        XCTAssertEqual(analyses.map(\.newTrack), [true, false, false, false, false, false, true, false, false, false])
        XCTAssertEqual(follower.detections, 3, "frames 0, 5 and 6")
        XCTAssertEqual(analyses[6].midline?.glabella.x ?? 0, 480, accuracy: 1e-3)
    }

    /// With several faces the largest is followed, and the user is warned once.
    func testSeveralFacesTheLargestIsFollowedWithOneWarning() {
        let small = Self.face(40, 40, size: 100), large = Self.face(300, 150, size: 200), third = Self.face(40, 300, size: 120)
        let faces: [[FaceBox]] = [[small, large], [small, large], [small, large], [], [small, third, large], [small, third, large]]
        let scene = ScriptedScene(faces: faces)
        let log = CapturedLog()
        let follower = FaceFollower(detector: ScriptedDetector(scene), landmarker: ScriptedLandmarks(scene),
                                    settings: FaceFollower.Settings(smoothing: .none), videoName: "scene", logger: Logger(label: "test") { _ in log })
        var analyses: [FrameAnalysis] = []
        for n in faces.indices {
            scene.frame = n
            analyses += follower.add(VideoFrame(index: n, pts: Int64(n), duration: 1, time: Double(n), image: Self.picture),
                                     timer: StageTimer()).map(\.analysis)
        }
        for n in [0, 1, 2, 4, 5] { XCTAssertEqual(analyses[n].box?.width ?? 0, 200, accuracy: 1e-9, "frame \(n) follows the largest") }
        XCTAssertEqual(analyses.map(\.facesFound), [2, 0, 0, 0, 3, 0])
        XCTAssertEqual(log.messages.filter { $0.hasPrefix("warning") }, ["warning: scene frame 0: 2 faces found, following the largest"])
        XCTAssertEqual(log.messages.filter { $0.hasPrefix("info") && $0.contains("faces found") }, ["info: scene frame 4: 3 faces found, following the largest"])
    }

    /// A fit on a flat picture (a blank frame where the face was) is not a face: the tracker drops it
    /// and asks the detector, which finds nothing there.
    func testAFlatPictureUnderAFollowedFitIsNoFace() {
        var faces: [[FaceBox]] = (0..<3).map { _ in [Self.face(200, 150)] }
        faces.append([])
        faces.append([Self.face(200, 150)])
        let scene = ScriptedScene(faces: faces)
        scene.fitsAnywhere = true
        let (_, outcomes) = track(scene, pictures: [3: Image(width: Self.width, height: Self.height, fill: 128)])
        XCTAssertNotNil(result(outcomes[2]))
        if case .none(let failure, let found) = outcomes[3] {
            XCTAssertEqual(failure, .noFaceDetected)
            XCTAssertEqual(found, 0)
        } else {
            XCTFail("a flat frame gave a face: \(outcomes[3])")
        }
        XCTAssertEqual(landmarkCalls(scene, frame: 3), 1, "the follow was tried, and refused for the flat picture")
        XCTAssertEqual(result(outcomes[4])?.detected, true)
    }

    /// Centred smoothing holds each frame until the two after it are known, and at a track's end (a
    /// frame without a face, or the video's end) releases the held frames with the window shrunk
    /// around them: a steady motion keeps its positions, jitter inside the track is smoothed.
    func testCentredSmoothingHoldsTwoFramesAndReleasesThemWhenTheTrackEnds() {
        // Frames 0-5: the face moves 6 px a frame with ±1 px jitter; frame 6: no face; frames 7-8: a new track.
        var faces: [[FaceBox]] = (0..<6).map { n in [Self.face(100 + 6 * Double(n) + (n % 2 == 0 ? 1 : -1), 120)] }
        faces.append([])
        faces += [[Self.face(300, 120)], [Self.face(300, 120)]]
        let scene = ScriptedScene(faces: faces)
        let follower = FaceFollower(detector: ScriptedDetector(scene), landmarker: ScriptedLandmarks(scene),
                                    settings: FaceFollower.Settings(smoothing: .centred), videoName: "scene", logger: Logger(label: "test"))
        XCTAssertEqual(follower.delay, 2)
        var released: [[Int]] = []
        var analyses: [FrameAnalysis] = []
        for n in faces.indices {
            scene.frame = n
            let out = follower.add(VideoFrame(index: n, pts: Int64(n), duration: 1, time: Double(n), image: Self.picture), timer: StageTimer())
            released.append(out.map(\.frame.index))
            analyses += out.map(\.analysis)
        }
        let atEnd = follower.finish()
        analyses += atEnd.map(\.analysis)
        XCTAssertEqual(released, [[], [], [0], [1], [2], [3], [4, 5, 6], [], []], "two frames held; the frame without a face ends the track")
        XCTAssertEqual(atEnd.map(\.frame.index), [7, 8], "the video's end releases the rest")
        XCTAssertEqual(analyses.map(\.index), Array(0..<9))
        func x(_ a: FrameAnalysis) -> Double { a.landmarks?.midline.glabella.x ?? .nan }
        func raw(_ a: FrameAnalysis) -> Double { a.rawLandmarks?.midline.glabella.x ?? .nan }
        // The ends of the track are their own fits (no frames on one side); inside, the jitter shrinks.
        XCTAssertEqual(x(analyses[0]), raw(analyses[0]), accuracy: 1e-4)
        XCTAssertEqual(x(analyses[5]), raw(analyses[5]), accuracy: 1e-4)
        for n in 1...4 {
            XCTAssertEqual(abs(raw(analyses[n]) - (180 + 6 * Double(n))), 1, accuracy: 1e-4, "frame \(n) fitted with its jitter")
            XCTAssertLessThan(abs(x(analyses[n]) - (180 + 6 * Double(n))), 0.5, "frame \(n) smoothed")
        }
        XCTAssertNil(analyses[6].landmarks)
        XCTAssertEqual(x(analyses[7]), 380, accuracy: 1e-4, "the new track is not mixed with the old")
    }
}
