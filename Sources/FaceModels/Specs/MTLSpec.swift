import FaceMirrorCore
import OrtBinding
import Foundation

/// What the MTL network says about one face.
public struct FaceAnalysis: Sendable, Equatable {
    /// Softmax of the emotion logits, in `MTLSpec.emotions` order.
    public var emotionProbabilities: [Double]
    /// Gaze (yaw, pitch) as the network outputs them.
    public var gaze: (yaw: Double, pitch: Double)
    /// The AU head's raw outputs in `MTLSpec.actionUnits` order (cosine similarities in [−1, 1]).
    public var actionUnitsRaw: [Double]

    public static func == (a: FaceAnalysis, b: FaceAnalysis) -> Bool {
        a.emotionProbabilities == b.emotionProbabilities && a.gaze == b.gaze && a.actionUnitsRaw == b.actionUnitsRaw
    }
}

/// OpenFace 3.0's multitask EfficientNet-B0 (multitask_model.py): the face box's crop of the frame,
/// BGR→RGB, /255, torchvision's antialiased bilinear resize to 224×224, ImageNet mean/std.
public enum MTLSpec {
    public static let inputName = "input_face"
    public static let outputs = (emotion: "emotion_output", gaze: "gaze_output", actionUnits: "au_output")
    public static let size = 224
    public static let mean: [Float] = [0.485, 0.456, 0.406]  // R, G, B
    public static let std: [Float] = [0.229, 0.224, 0.225]
    public static let emotions = ["Neutral", "Happy", "Sad", "Surprise", "Fear", "Disgust", "Anger", "Contempt"]
    public static let actionUnits = ["AU01", "AU02", "AU04", "AU06", "AU12", "AU15", "AU20", "AU25"]

    /// The box as OpenFace crops it: corners truncated to integers (`det[:4].astype(int)`), end
    /// exclusive. Unlike numpy slicing, negative corners are clamped to the frame, not wrapped.
    public static func cropRect(for box: FaceBox, width: Int, height: Int) -> (x: Int, y: Int, w: Int, h: Int)? {
        let x1 = max(0, Int(box.left.rounded(.towardZero))), y1 = max(0, Int(box.top.rounded(.towardZero)))
        let x2 = min(width, Int(box.right.rounded(.towardZero))), y2 = min(height, Int(box.bottom.rounded(.towardZero)))
        guard x2 > x1, y2 > y1 else { return nil }
        return (x1, y1, x2 - x1, y2 - y1)
    }

    /// [1, 3, 224, 224] from the face box of a BGR frame.
    public static func preprocess(_ image: Image, box: FaceBox) throws -> Tensor {
        guard let r = cropRect(for: box, width: image.width, height: image.height) else {
            throw ModelError.boxOutsideFrame(model: "MTL", box: box, width: image.width, height: image.height)
        }
        // RGB planes in [0, 1] of the crop.
        let plane = r.w * r.h
        var planes = [Float](repeating: 0, count: 3 * plane)
        image.pixels.withUnsafeBufferPointer { src in
            planes.withUnsafeMutableBufferPointer { dst in
                for y in 0..<r.h {
                    let row = ((r.y + y) * image.width + r.x) * 3
                    for x in 0..<r.w {
                        let i = y * r.w + x, p = row + 3 * x
                        dst[i] = Float(src[p + 2]) / 255
                        dst[plane + i] = Float(src[p + 1]) / 255
                        dst[2 * plane + i] = Float(src[p]) / 255
                    }
                }
            }
        }
        var resized = AntialiasedResize.resize(planes, channels: 3, height: r.h, width: r.w, outHeight: size, outWidth: size)
        let n = size * size
        for c in 0..<3 {
            for i in 0..<n { resized[c * n + i] = (resized[c * n + i] - mean[c]) / std[c] }
        }
        return Tensor(shape: [1, 3, size, size], values: resized)
    }

    public static func decode(emotion: Tensor, gaze: Tensor, actionUnits: Tensor) throws -> FaceAnalysis {
        guard emotion.count == emotions.count, gaze.count == 2, actionUnits.count == MTLSpec.actionUnits.count else {
            throw ModelError.unexpectedOutput(model: "MTL", got: "\(emotion.shape), \(gaze.shape), \(actionUnits.shape)", expected: "[1,8], [1,2], [1,8]")
        }
        let logits = emotion.values.map(Double.init)
        let top = logits.max()!
        let e = logits.map { exp($0 - top) }
        let sum = e.reduce(0, +)
        return FaceAnalysis(emotionProbabilities: e.map { $0 / sum }, gaze: (Double(gaze.values[0]), Double(gaze.values[1])),
                            actionUnitsRaw: actionUnits.values.map(Double.init))
    }

    /// The AU intensity columns: raw outputs clipped to [0, 5], as OpenFace 3.0 writes them.
    public static func intensity(_ raw: Double) -> Double { raw.isNaN ? .nan : min(5, max(0, raw)) }
}
