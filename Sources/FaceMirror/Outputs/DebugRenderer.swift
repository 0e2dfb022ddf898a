import FaceMirrorCore
import VisionBinding
import Foundation

/// Draws what the pipeline saw on a copy of the frame: face box, landmarks, the midline across the
/// whole frame, a banner with the head yaw and its quality, and one under it when the landmarks are poor.
public struct DebugRenderer: Sendable {
    public init() {}

    public func render(_ frame: Image, box: FaceBox?, landmarks: FaceLandmarks?, yaw: Double, detected: Bool,
                       landmarkQuality: LandmarkQuality? = nil) throws -> Image {
        var out = frame
        let scale = max(0.5, Double(min(frame.width, frame.height)) / 900)
        let thick = max(1, Int((2 * scale).rounded()))
        if let box {
            try out.drawRect(x1: box.left, y1: box.top, x2: box.right, y2: box.bottom, colour: detected ? .orange : .green, thickness: thick)
        }
        guard let lm = landmarks else {
            try out.drawLabel("no face", x: 10, y: 10, scale: scale, foreground: .white, background: .red)
            return out
        }
        let line = lm.midline
        let (a, b) = line.endpoints(width: Double(frame.width), height: Double(frame.height))
        try out.drawLine(from: (a.x, a.y), to: (b.x, b.y), colour: .yellow, thickness: thick)
        try out.drawPoints(lm.xy, radius: max(2, thick), colour: .cyan)
        try out.drawPoints([Float(line.glabella.x), Float(line.glabella.y), Float(line.chin.x), Float(line.chin.y)],
                           radius: max(3, 2 * thick), colour: .red)
        let quality = HeadYaw.quality(yaw)
        let colour: Colour = yaw.isNaN ? .red : (quality == .good ? .green : (quality == .acceptable ? .yellow : .red))
        let text = yaw.isNaN ? "head yaw: unknown" : String(format: "head yaw %+.1f deg: %@", yaw, quality.rawValue)
        try out.drawLabel(text, x: 10, y: 10, scale: scale, foreground: .black, background: colour)
        if let issue = landmarkQuality?.issue {
            try out.drawLabel("landmarks poor: \(issue.label)", x: 10, y: 10 + Int((40 * scale).rounded()), scale: scale,
                              foreground: .white, background: .red)
        }
        return out
    }
}
