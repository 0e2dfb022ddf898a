import FaceMirrorCore
import Foundation

/// Detects a face once, then follows it: each frame's landmarks start from a box derived from the
/// previous frame's landmarks. The detector runs again only when the fit fails a quality check or
/// the face is lost. With several faces the largest one is followed.
///
/// When following keeps failing while the detector keeps finding the face (a landmark model whose
/// points do not predict the next box, e.g. an untrained replica), each frame would run the landmark
/// model twice; after `failuresBeforeDetectionFirst` such frames in a row the tracker goes straight to
/// the detector (one landmark fit per frame) and tries following again every
/// `followRetryInterval` frames. In that mode the detector looks first in a region around the last
/// detection (`regionScale` times its size): most of the frame holds no face and a smaller picture
/// costs the detector proportionally less. The whole frame is searched when the region has no face,
/// and at least every `followRetryInterval` frames (a larger face elsewhere is then noticed).
public final class FaceTracker {
    public struct Result: Sendable {
        public let landmarks: FaceLandmarks
        /// The box the landmarks were fitted in.
        public let box: FaceBox
        /// Detector score of the detection this track started from.
        public let confidence: Double
        /// True when the detector ran on this frame.
        public let detected: Bool
        /// Faces the detector found, when it ran (0 when it did not).
        public let facesFound: Int
    }

    /// A frame's outcome: the face, or why there is none.
    public enum Outcome: Sendable {
        case face(Result)
        case none(FrameFailure, facesFound: Int)
    }

    private let detector: FaceDetector
    private let landmarker: LandmarkDetector
    private var previous: FaceLandmarks?
    /// Where the box for the next frame sits relative to this frame's landmarks, learned at the detection
    /// that started the track.
    private var relation = BoxRelation(dx: 0, dy: 0.05, sx: 1.1, sy: 1.1)
    private var confidence = Double.nan
    private var referenceSize = 0.0
    private var referenceAspect = 1.0
    public private(set) var detections = 0
    /// Frames in a row on which the followed fit failed the check but the detector found the face.
    private var followFailures = 0
    private var framesSinceFollowTry = 0
    public static let failuresBeforeDetectionFirst = 3
    public static let followRetryInterval = 30
    public static let regionScale = 2.0
    /// Fits from the landmark model's preferred box after a detection.
    public static let preferredBoxRefits = 2
    /// The last detection, and frames since the detector last searched the whole frame.
    private var lastDetection: FaceBox?
    private var framesSinceFullSearch = 0
    /// Detector runs on a region instead of the whole frame.
    public private(set) var regionDetections = 0
    /// While no face is found the detector's thorough (slower) search runs on the first such frame and
    /// then every `thoroughSearchInterval` frames.
    public static let thoroughSearchInterval = 15
    private var framesWithoutFace = 0
    /// Thorough searches run so far.
    public private(set) var thoroughDetections = 0

    public init(detector: FaceDetector, landmarker: LandmarkDetector) {
        self.detector = detector
        self.landmarker = landmarker
    }

    /// This frame's landmarks, or why there are none. `unrotated`: fit from the detector's box with
    /// its roll set to 0 (the reference's crop), as `--raw` asks.
    ///
    /// A tracked fit that fails the quality check sends the frame to the detector. When the detector
    /// finds the face where the tracking box already was, the fit stands (fitting again from the same
    /// place would give the same points: the landmark model runs once per frame); otherwise the
    /// landmarks are fitted again from the detector's box.
    ///
    /// A stage that throws fails this frame only (`FrameFailure.stageError`): the track is dropped and
    /// the next frame starts with the detector.
    public func next(_ image: Image, timer: StageTimer, unrotated: Bool = false) -> Outcome {
        do {
            return try fit(image, timer: timer, unrotated: unrotated)
        } catch let failure as StageFailure {
            previous = nil
            return .none(.stageError(stage: failure.stage, message: ErrorText.describe(failure.error)), facesFound: 0)
        } catch {
            previous = nil
            return .none(.stageError(stage: "tracker", message: ErrorText.describe(error)), facesFound: 0)
        }
    }

    /// A stage's error, with the stage's name.
    private struct StageFailure: Error {
        let stage: String
        let error: Error
    }

    private func landmarks(_ image: Image, box: FaceBox, timer: StageTimer) throws -> FaceLandmarks {
        do { return try landmarker.landmarks(in: image, box: box, timer: timer) } catch { throw StageFailure(stage: landmarker.name, error: error) }
    }

    private func fit(_ image: Image, timer: StageTimer, unrotated: Bool) throws -> Outcome {
        var tracked: (landmarks: FaceLandmarks, box: FaceBox)?
        var followFailed = false
        let follow = followFailures < FaceTracker.failuresBeforeDetectionFirst || framesSinceFollowTry >= FaceTracker.followRetryInterval
        if let prev = previous, follow {
            framesSinceFollowTry = 0
            let box = trackingBox(from: prev)
            let lm = try landmarks(image, box: box, timer: timer)
            if passesQuality(lm, previous: prev, image: image) {
                previous = lm
                followFailures = 0
                return .face(Result(landmarks: lm, box: box, confidence: confidence, detected: false, facesFound: 0))
            }
            tracked = lm.allFinite ? (lm, box) : nil
            followFailed = true
            previous = nil
        } else if previous != nil {
            framesSinceFollowTry += 1
        }
        detections += 1
        var faces: [FaceBox] = []
        do {
            let detectorFirst = followFailures >= FaceTracker.failuresBeforeDetectionFirst
            if detectorFirst, framesSinceFullSearch < FaceTracker.followRetryInterval, let last = lastDetection {
                faces = try FaceTracker.detect(with: detector, around: last, of: image, timer: timer)
                framesSinceFullSearch += 1
                if !faces.isEmpty { regionDetections += 1 }
            }
            if faces.isEmpty {
                if framesWithoutFace % FaceTracker.thoroughSearchInterval == 0 {
                    thoroughDetections += 1
                    faces = try detector.detectThoroughly(image, timer: timer)
                } else {
                    faces = try detector.detect(image, timer: timer)
                }
                framesSinceFullSearch = 0
            }
        } catch {
            throw StageFailure(stage: detector.name, error: error)
        }
        guard var face = faces.max(by: { $0.area < $1.area }) else {
            followFailures = 0
            framesWithoutFace += 1
            return .none(.noFaceDetected, facesFound: 0)
        }
        framesWithoutFace = 0
        if followFailed { followFailures += 1 }
        if unrotated { face.roll = 0 }
        lastDetection = face
        confidence = face.score
        if let tracked, face.iou(tracked.box) >= 0.5 {
            previous = tracked.landmarks
            return .face(Result(landmarks: tracked.landmarks, box: tracked.box, confidence: face.score, detected: true, facesFound: faces.count))
        }
        var box = face
        var lm = try landmarks(image, box: box, timer: timer)
        guard lm.allFinite else { return .none(.landmarkFitFailed, facesFound: faces.count) }
        if let preferred = landmarker.preferredBoxRelation {
            // Fitted again from the box the model wants: the detector's box moves with the size of the
            // frame (its search steps are in pixels of a shrunk or enlarged copy), the model's does not.
            // Twice: the second box barely moves from the first, so the relation learned below is close to
            // the model's and the track goes on from boxes it fits well.
            for _ in 0..<FaceTracker.preferredBoxRefits {
                box = preferred.box(around: lm, score: face.score)
                let refitted = try landmarks(image, box: box, timer: timer)
                guard refitted.allFinite else { return .none(.landmarkFitFailed, facesFound: faces.count) }
                lm = refitted
            }
        }
        learnRelation(face: box, landmarks: lm)
        previous = lm
        return .face(Result(landmarks: lm, box: box, confidence: face.score, detected: true, facesFound: faces.count))
    }

    /// Forgets the current face (the next frame runs the detector).
    public func reset() {
        previous = nil
        followFailures = 0
        lastDetection = nil
    }

    /// The detector on a region `regionScale` times the box's size around its centre (clipped to the
    /// frame), boxes moved back to frame coordinates. The region's corner and sides are multiples of 32
    /// pixels: a network's coarsest feature grid (RetinaFace's anchors at strides 8, 16, 32) then lies
    /// on the picture as it does on the whole frame, and it sees few distinct input sizes.
    public static func detect(with detector: FaceDetector, around box: FaceBox, of image: Image, timer: StageTimer) throws -> [FaceBox] {
        let down = { (v: Double) in Int((v / 32).rounded(.down)) * 32 }, up = { (v: Double) in Int((v / 32).rounded(.up)) * 32 }
        let halfW = box.width * FaceTracker.regionScale / 2, halfH = box.height * FaceTracker.regionScale / 2
        let x = max(0, down(box.centre.x - halfW)), y = max(0, down(box.centre.y - halfH))
        let w = up(box.centre.x + halfW) - x, h = up(box.centre.y + halfH) - y
        guard w < image.width || h < image.height, let region = image.cropped(x: x, y: y, width: w, height: h) else { return [] }
        let dx = Double(max(0, x)), dy = Double(max(0, y))
        return try detector.detect(region, timer: timer).map { f in
            FaceBox(left: f.left + dx, top: f.top + dy, right: f.right + dx, bottom: f.bottom + dy, score: f.score, roll: f.roll)
        }
    }

    private func learnRelation(face: FaceBox, landmarks: FaceLandmarks) {
        // Learned from the box the fit came from (the model's preferred one, where it has one): on a still
        // picture the next frame's box is then this one and its fit the same.
        relation = BoxRelation(box: face, landmarks: landmarks)
        let b = landmarks.bounds(of: landmarks.layout.inner)
        let w = max(b.maxX - b.minX, 1), h = max(b.maxY - b.minY, 1)
        referenceSize = (w * h).squareRoot()
        referenceAspect = w / h
    }

    private func trackingBox(from lm: FaceLandmarks) -> FaceBox {
        relation.box(around: lm, score: confidence)
    }

    /// Below this standard deviation of grey levels, the picture under a fit has no face to fit: a
    /// blank, black or flat frame (a landmark model still returns a face-shaped set of points there).
    /// Faces, dim ones included, are far above it.
    static let minimumContrast = 3.0

    /// A fit is kept when it is finite, mostly inside the frame, about where and how large the last
    /// one was, shaped like a face (eyes across the midline, at a plausible distance), and on a picture
    /// with some contrast.
    private func passesQuality(_ lm: FaceLandmarks, previous: FaceLandmarks, image: Image) -> Bool {
        guard lm.allFinite else { return false }
        let b = lm.bounds(of: lm.layout.inner), p = previous.bounds(of: previous.layout.inner)
        let w = b.maxX - b.minX, h = b.maxY - b.minY
        guard w > 8, h > 8 else { return false }
        let marginX = 0.1 * w, marginY = 0.1 * h
        guard b.minX > -marginX, b.minY > -marginY, b.maxX < Double(image.width) + marginX,
              b.maxY < Double(image.height) + marginY else { return false }
        let now = FaceBox(left: b.minX, top: b.minY, right: b.maxX, bottom: b.maxY)
        let before = FaceBox(left: p.minX, top: p.minY, right: p.maxX, bottom: p.maxY)
        guard now.iou(before) > 0.5 else { return false }
        guard image.greyLevels(in: b).deviation >= FaceTracker.minimumContrast else { return false }
        let size = (w * h).squareRoot()
        if referenceSize > 0 {
            let ratio = size / referenceSize
            guard ratio > 0.6, ratio < 1.6 else { return false }
            let aspect = (w / h) / referenceAspect
            guard aspect > 0.8, aspect < 1.25 else { return false }
        }
        let le = lm.mean(of: lm.layout.imageLeftEye), re = lm.mean(of: lm.layout.imageRightEye)
        let eyeDist = ((re.x - le.x) * (re.x - le.x) + (re.y - le.y) * (re.y - le.y)).squareRoot()
        guard eyeDist / w > 0.3, eyeDist / w < 0.9 else { return false }
        // The eye line should be roughly perpendicular to the midline.
        let m = lm.midline
        let mdx = m.chin.x - m.glabella.x, mdy = m.chin.y - m.glabella.y
        let mlen = (mdx * mdx + mdy * mdy).squareRoot()
        guard mlen > 1 else { return false }
        let cosine = abs((re.x - le.x) * mdx + (re.y - le.y) * mdy) / (eyeDist * mlen)
        return cosine < 0.35
    }
}
