import CVisionShim
import FaceMirrorCore

/// dlib's HOG frontal face detector. Not safe to share between threads: one per pipeline.
public final class DlibHOGDetector {
    private let handle: OpaquePointer

    public init() throws {
        var message = [CChar](repeating: 0, count: 512)
        guard let h = fm_face_detector_create(&message, message.count) else {
            throw VisionError(operation: "dlib face detector", message: String(nulTerminated: message))
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
            throw VisionError(operation: "load shape predictor \(path)", message: String(nulTerminated: message))
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
