import FaceMirrorCore
import OrtBinding
import Foundation

/// One face found by a detector: box corners, score and (for RetinaFace) five points
/// (eyes, nose, mouth corners) in frame pixels.
public struct Detection: Sendable, Equatable {
    public var box: FaceBox
    public var points: [Point]

    public init(box: FaceBox, points: [Point]) {
        self.box = box
        self.points = points
    }
}

/// RetinaFace mobilenet0.25 exactly as OpenFace 3.0 pre- and post-processes it
/// (face_detection.py): whole frame at native size, BGR minus (104, 117, 123), NCHW; priors,
/// box/point decoding with variances 0.1/0.2, score threshold, NMS 0.4 with the "+1" area formula.
public enum RetinaFaceSpec {
    public static let inputName = "input"
    public static let outputs = (loc: "loc", conf: "conf", landmarks: "landms")
    public static let mean: [Float] = [104, 117, 123]  // B, G, R
    public static let minSizes: [[Double]] = [[16, 32], [64, 128], [256, 512]]
    public static let steps: [Double] = [8, 16, 32]
    public static let variance = (centre: 0.1, size: 0.2)
    public static let nmsThreshold = 0.4
    /// OpenFace keeps candidates above 0.02 before NMS; the mirroring pipeline asks for 0.9.
    public static let referenceScoreThreshold = 0.02
    public static let mirroringScoreThreshold = 0.9

    /// [1, 3, H, W]: the BGR frame as float minus the per-channel mean. No scaling.
    public static func preprocess(_ image: Image) -> Tensor {
        chwTensor(image, scale: 1, offsets: (-mean[0], -mean[1], -mean[2]))
    }

    /// Anchor boxes (cx, cy, w, h), normalised by the input size, in the network's output order:
    /// level by level, grid row-major, two sizes per cell.
    public static func priors(width: Int, height: Int) -> [(cx: Double, cy: Double, w: Double, h: Double)] {
        var out: [(Double, Double, Double, Double)] = []
        out.reserveCapacity(priorCount(width: width, height: height))
        let W = Double(width), H = Double(height)
        for (k, step) in steps.enumerated() {
            let rows = Int((H / step).rounded(.up)), cols = Int((W / step).rounded(.up))
            for i in 0..<rows {
                for j in 0..<cols {
                    for size in minSizes[k] {
                        out.append(((Double(j) + 0.5) * step / W, (Double(i) + 0.5) * step / H, size / W, size / H))
                    }
                }
            }
        }
        return out
    }

    public static func priorCount(width: Int, height: Int) -> Int {
        steps.reduce(0) { n, s in n + 2 * Int((Double(height) / s).rounded(.up)) * Int((Double(width) / s).rounded(.up)) }
    }

    /// Decodes the three outputs into detections above `threshold`, highest score first, after NMS.
    public static func decode(loc: Tensor, conf: Tensor, landmarks: Tensor, width: Int, height: Int,
                              threshold: Double = mirroringScoreThreshold) throws -> [Detection] {
        let n = priorCount(width: width, height: height)
        guard loc.shape == [1, n, 4], conf.shape == [1, n, 2], landmarks.shape == [1, n, 10] else {
            throw ModelError.unexpectedOutput(model: "RetinaFace", got: "\(loc.shape), \(conf.shape), \(landmarks.shape)",
                                              expected: "[1,\(n),4], [1,\(n),2], [1,\(n),10] for a \(width)x\(height) input")
        }
        let priors = priors(width: width, height: height)
        let W = Double(width), H = Double(height)
        var found: [Detection] = []
        for a in 0..<n {
            let score = Double(conf.values[2 * a + 1])
            guard score > threshold else { continue }
            let p = priors[a]
            let l = loc.values[(4 * a)..<(4 * a + 4)].map(Double.init)
            let cx = p.cx + l[0] * variance.centre * p.w, cy = p.cy + l[1] * variance.centre * p.h
            let bw = p.w * exp(l[2] * variance.size), bh = p.h * exp(l[3] * variance.size)
            let x1 = cx - bw / 2, y1 = cy - bh / 2
            let box = FaceBox(left: x1 * W, top: y1 * H, right: (x1 + bw) * W, bottom: (y1 + bh) * H, score: score)
            let points = (0..<5).map { k in
                Point((p.cx + Double(landmarks.values[10 * a + 2 * k]) * variance.centre * p.w) * W,
                      (p.cy + Double(landmarks.values[10 * a + 2 * k + 1]) * variance.centre * p.h) * H)
            }
            found.append(Detection(box: box, points: points))
        }
        found.sort { $0.box.score > $1.box.score }
        return nonMaximumSuppression(found, threshold: nmsThreshold)
    }

    /// Greedy NMS as py_cpu_nms: areas and overlaps counted with the "+1" pixel convention.
    public static func nonMaximumSuppression(_ sorted: [Detection], threshold: Double) -> [Detection] {
        var kept: [Detection] = []
        var suppressed = [Bool](repeating: false, count: sorted.count)
        func area(_ b: FaceBox) -> Double { (b.right - b.left + 1) * (b.bottom - b.top + 1) }
        for i in 0..<sorted.count where !suppressed[i] {
            let a = sorted[i].box
            kept.append(sorted[i])
            for j in (i + 1)..<max(i + 1, sorted.count) where !suppressed[j] {
                let b = sorted[j].box
                let w = max(0, min(a.right, b.right) - max(a.left, b.left) + 1)
                let h = max(0, min(a.bottom, b.bottom) - max(a.top, b.top) + 1)
                let inter = w * h
                if inter / (area(a) + area(b) - inter) > threshold { suppressed[j] = true }
            }
        }
        return kept
    }
}
