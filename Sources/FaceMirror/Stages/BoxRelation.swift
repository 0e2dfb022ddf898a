import FaceMirrorCore
import Foundation

/// Where a face box sits relative to the bounding box of the face's inner landmarks: its centre moved by
/// (dx, dy) of that box's width and height, its sides sx and sy times as long.
public struct BoxRelation: Sendable, Equatable {
    public var dx: Double, dy: Double, sx: Double, sy: Double

    public init(dx: Double, dy: Double, sx: Double, sy: Double) {
        self.dx = dx
        self.dy = dy
        self.sx = sx
        self.sy = sy
    }

    /// The relation of `box` to the landmarks.
    public init(box: FaceBox, landmarks lm: FaceLandmarks) {
        let b = lm.bounds(of: lm.layout.inner)
        let w = max(b.maxX - b.minX, 1), h = max(b.maxY - b.minY, 1)
        self.init(dx: (box.centre.x - (b.minX + b.maxX) / 2) / w, dy: (box.centre.y - (b.minY + b.maxY) / 2) / h,
                  sx: box.width / w, sy: box.height / h)
    }

    /// The box in this relation to the landmarks, turned as their eyes are.
    public func box(around lm: FaceLandmarks, score: Double) -> FaceBox {
        let b = lm.bounds(of: lm.layout.inner)
        let w = b.maxX - b.minX, h = b.maxY - b.minY
        let cx = (b.minX + b.maxX) / 2 + dx * w, cy = (b.minY + b.maxY) / 2 + dy * h
        let bw = sx * w, bh = sy * h
        let le = lm.mean(of: lm.layout.imageLeftEye), re = lm.mean(of: lm.layout.imageRightEye)
        let roll = atan2(-(re.y - le.y), re.x - le.x) * 180 / .pi
        return FaceBox(left: cx - bw / 2, top: cy - bh / 2, right: cx + bw / 2, bottom: cy + bh / 2, score: score, roll: roll)
    }
}
