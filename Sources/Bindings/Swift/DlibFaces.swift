import CVisionShim

/// An axis-aligned box in pixels, with the detector's score where there is one.
public struct FaceBox: Sendable, Equatable {
    public var left: Double, top: Double, right: Double, bottom: Double
    public var score: Double
    /// In-plane rotation of the face in degrees (eye line, counter-clockwise on screen), when known.
    public var roll: Double = 0

    public init(left: Double, top: Double, right: Double, bottom: Double, score: Double = .nan, roll: Double = 0) {
        self.left = left; self.top = top; self.right = right; self.bottom = bottom; self.score = score; self.roll = roll
    }

    public var width: Double { right - left }
    public var height: Double { bottom - top }
    public var area: Double { max(0, width) * max(0, height) }
    public var centre: (x: Double, y: Double) { ((left + right) / 2, (top + bottom) / 2) }

    /// The box grown (or shrunk) by `factor` about its centre.
    public func scaled(by factor: Double) -> FaceBox {
        let c = centre, hw = width * factor / 2, hh = height * factor / 2
        return FaceBox(left: c.x - hw, top: c.y - hh, right: c.x + hw, bottom: c.y + hh, score: score, roll: roll)
    }

    /// Intersection over union with another box.
    public func iou(_ o: FaceBox) -> Double {
        let w = min(right, o.right) - max(left, o.left), h = min(bottom, o.bottom) - max(top, o.top)
        guard w > 0, h > 0 else { return 0 }
        let inter = w * h
        return inter / (area + o.area - inter)
    }
}

/// dlib's HOG frontal face detector. Not safe to share between threads: one per pipeline.
public final class DlibHOGDetector {
    private let handle: OpaquePointer

    public init() throws {
        var message = [CChar](repeating: 0, count: 512)
        guard let h = fm_face_detector_create(&message, message.count) else {
            throw VisionError(operation: "dlib face detector", message: text(of: message))
        }
        handle = h
    }

    deinit { fm_face_detector_destroy(handle) }

    /// All faces, best score first. `scale` < 1 detects on a shrunk copy (faster on large frames).
    public func detect(_ image: Image, upsample: Int = 0, scale: Double = 1) throws -> [FaceBox] {
        var rects = [fm_rect](repeating: fm_rect(), count: 32)
        var count: Int32 = 0
        try image.withShimImage { img in
            try shimCall("dlib detect") {
                fm_face_detector_detect(handle, img, Int32(upsample), scale, &rects, Int32(rects.count), &count, $0, $1)
            }
        }
        return rects.prefix(min(Int(count), rects.count)).map {
            FaceBox(left: $0.left, top: $0.top, right: $0.right, bottom: $0.bottom, score: $0.score)
        }
    }
}

/// dlib's shape predictor (e.g. the 68-point model). `fit` is safe to call from several threads.
public final class DlibShapePredictor: @unchecked Sendable {
    private let handle: OpaquePointer
    public let parts: Int
    public let path: String

    public init(path: String) throws {
        var message = [CChar](repeating: 0, count: 512)
        guard let h = fm_shape_predictor_load(path, &message, message.count) else {
            throw VisionError(operation: "load shape predictor \(path)", message: text(of: message))
        }
        handle = h
        parts = Int(fm_shape_predictor_parts(h))
        self.path = path
    }

    deinit { fm_shape_predictor_destroy(handle) }

    /// Landmarks inside `box` as interleaved x, y.
    public func fit(_ image: Image, box: FaceBox) throws -> [Float] {
        var xy = [Float](repeating: .nan, count: parts * 2)
        let rect = fm_rect(left: box.left, top: box.top, right: box.right, bottom: box.bottom, score: box.score)
        try image.withShimImage { img in
            try shimCall("dlib shape predictor") { fm_shape_predictor_fit(handle, img, rect, &xy, $0, $1) }
        }
        return xy
    }
}
