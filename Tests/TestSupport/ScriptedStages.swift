import FaceMirror
import FaceMirrorCore
import Foundation

/// A scene for the face follower's tests, with stages that read it instead of running a model: the
/// frames' pixels encode their own coordinates (so a stage handed a region of a frame knows where it
/// lies), `faces` says where the faces are on each frame, and every stage call is recorded.
public final class ScriptedScene: @unchecked Sendable {
    /// The true face boxes of each frame (the test sets `frame` before handing that frame on).
    public var faces: [[FaceBox]]
    public var frame = 0
    /// Each detector call: the frame, and the size of the picture it searched (smaller than the frame on a region).
    public private(set) var detectorCalls: [(frame: Int, width: Int, height: Int)] = []
    /// Each landmark call: the frame, and whether the box was one the detector had just returned.
    public private(set) var landmarkCalls: [(frame: Int, fromDetection: Bool)] = []
    /// False: a fit from any box but a detection's gives points that are not numbers (a model whose
    /// points do not predict the next box, as an untrained replica's).
    public var followingWorks = true
    /// True: where there is no face the model still returns a face-shaped set of points in its box (as
    /// real ones do on a blank frame); false: its fit there is not numbers.
    public var fitsAnywhere = false
    private var lastDetections: [FaceBox] = []

    public init(faces: [[FaceBox]]) { self.faces = faces }

    /// A picture whose pixel (x, y) holds x and y: blue = x mod 256, green = y mod 256, red = the high bits.
    public static func picture(width: Int, height: Int) -> Image {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let i = (y * width + x) * 3
                pixels[i] = UInt8(x & 255)
                pixels[i + 1] = UInt8(y & 255)
                pixels[i + 2] = UInt8((x >> 8) | ((y >> 8) << 4))
            }
        }
        return Image(width: width, height: height, pixels: pixels)
    }

    /// Where a picture made by `picture` (or a region of one) starts in the frame.
    static func origin(of image: Image) -> (x: Double, y: Double) {
        let p = image.pixel(x: 0, y: 0)
        return (Double(Int(p.b) | ((Int(p.r) & 15) << 8)), Double(Int(p.g) | ((Int(p.r) >> 4) << 8)))
    }

    fileprivate func detect(_ image: Image) -> [FaceBox] {
        detectorCalls.append((frame, image.width, image.height))
        let o = ScriptedScene.origin(of: image)
        let region = FaceBox(left: o.x, top: o.y, right: o.x + Double(image.width), bottom: o.y + Double(image.height))
        // Faces wholly inside the picture, in its own coordinates.
        lastDetections = faces[frame].filter { $0.left >= region.left && $0.right <= region.right && $0.top >= region.top && $0.bottom <= region.bottom }
        return lastDetections.map { FaceBox(left: $0.left - o.x, top: $0.top - o.y, right: $0.right - o.x, bottom: $0.bottom - o.y, score: $0.score) }
    }

    fileprivate func landmarks(_ box: FaceBox) -> FaceLandmarks {
        let fromDetection = lastDetections.contains { abs($0.left - box.left) < 1e-6 && abs($0.top - box.top) < 1e-6 && abs($0.width - box.width) < 1e-6 }
        landmarkCalls.append((frame, fromDetection))
        lastDetections = []
        guard followingWorks || fromDetection else {
            return FaceLandmarks(layout: .dlib68, xy: [Float](repeating: .nan, count: 136))
        }
        // The true face the box overlaps most (the model finds the face near where it is asked to look).
        if let face = faces[frame].max(by: { $0.iou(box) < $1.iou(box) }), face.iou(box) > 0.2 { return ScriptedScene.face(in: face) }
        return fitsAnywhere ? ScriptedScene.face(in: box) : FaceLandmarks(layout: .dlib68, xy: [Float](repeating: .nan, count: 136))
    }

    /// A frontal face's 68 points (dlib's order) filling `box`: jaw, brows, nose, eyes, mouth; the
    /// midline vertical through the box's centre, the eyes level.
    public static func face(in box: FaceBox) -> FaceLandmarks {
        var unit: [(Double, Double)] = []
        for k in 0..<17 {
            let t = Double.pi * Double(k) / 16
            unit.append((0.5 - 0.45 * cos(t), 0.35 + 0.6 * sin(t)))
        }
        for k in 0..<5 { unit.append((0.15 + 0.27 * Double(k) / 4, 0.28)) }
        for k in 0..<5 { unit.append((0.58 + 0.27 * Double(k) / 4, 0.28)) }
        for k in 0..<4 { unit.append((0.5, 0.38 + 0.2 * Double(k) / 3)) }
        for k in 0..<5 { unit.append((0.4 + 0.2 * Double(k) / 4, 0.63)) }
        for cx in [0.3, 0.7] {
            for angle in [180.0, 120, 60, 0, -60, -120] {
                let a = angle * Double.pi / 180
                unit.append((cx + 0.07 * cos(a), 0.4 - 0.025 * sin(a)))
            }
        }
        for k in 0..<12 {
            let a = Double.pi - 2 * Double.pi * Double(k) / 12
            unit.append((0.5 + 0.1 * cos(a), 0.78 - 0.03 * sin(a)))
        }
        for k in 0..<8 {
            let a = Double.pi - 2 * Double.pi * Double(k) / 8
            unit.append((0.5 + 0.06 * cos(a), 0.78 - 0.015 * sin(a)))
        }
        let xy = unit.flatMap { [Float(box.left + $0.0 * box.width), Float(box.top + $0.1 * box.height)] }
        return FaceLandmarks(layout: .dlib68, xy: xy)
    }
}

/// A face detector that finds the scene's faces.
public final class ScriptedDetector: FaceDetector {
    public let name = "scripted detector"
    private let scene: ScriptedScene
    public init(_ scene: ScriptedScene) { self.scene = scene }
    public func detect(_ image: Image, timer: StageTimer) throws -> [FaceBox] { scene.detect(image) }
}

/// A landmark model that places the scene's face nearest its box.
public final class ScriptedLandmarks: LandmarkDetector {
    public let name = "scripted landmarks"
    public let layout = LandmarkLayout.dlib68
    private let scene: ScriptedScene
    public init(_ scene: ScriptedScene) { self.scene = scene }
    public func landmarks(in image: Image, box: FaceBox, timer: StageTimer) throws -> FaceLandmarks { scene.landmarks(box) }
}
