import FaceModels
import Foundation
import MediaBinding
import OrtBinding
import VisionBinding

/// Model inputs made from a video's frames, prepared as each known model expects: the whole frame
/// for RetinaFace, the face crop (found by dlib's detector) for STAR, PFLD and MTL; other picture
/// inputs get the frame scaled to their size, divided by 255.
public enum CalibrationData {
    public static func inputs(for session: InferenceSession, video: String, frames wanted: Int) throws -> [[String: Tensor]] {
        let reader = try VideoReader(path: video)
        let total = reader.info.announcedFrameCount ?? wanted
        let step = max(1, total / max(wanted, 1))
        // dlib's HOG detector finds the face for the crops, on a copy at most 960 px on its long side, as
        // the default stack's detector searches.
        let detector = try DlibHOGDetector()
        let landmarkKind = LandmarkModelKind.detect(session)
        var feeds: [[String: Tensor]] = []
        var index = 0
        while feeds.count < wanted, let frame = try reader.next() {
            defer { index += 1 }
            guard index % step == 0 else { continue }
            var feed: [String: Tensor] = [:]
            let side = max(frame.image.width, frame.image.height)
            let box = try detector.detect(frame.image, scale: side > 960 ? 960 / Double(side) : 1).max { $0.area < $1.area }
            for info in session.inputs {
                guard info.shape.count == 4, info.shape[1] == 3 || info.shape[1] < 0 else {
                    throw ModelError.invalid(path: session.modelPath, reason: "input \(info) is not a picture; no calibration data for it")
                }
                let h = info.shape[2] > 0 ? Int(info.shape[2]) : frame.image.height
                let w = info.shape[3] > 0 ? Int(info.shape[3]) : frame.image.width
                switch (info.name, landmarkKind) {
                case (_, .star?):
                    guard let box else { continue }
                    feed[info.name] = try STARSpec.preprocess(frame.image, box: box).tensor
                case (_, .pfld?):
                    guard let box else { continue }
                    feed[info.name] = try PFLDSpec.preprocess(frame.image, box: box).tensor
                case (RetinaFaceSpec.inputName, nil):
                    let image = (h, w) == (frame.image.height, frame.image.width) ? frame.image : try Imaging.resize(frame.image, width: w, height: h)
                    feed[info.name] = RetinaFaceSpec.preprocess(image)
                case (MTLSpec.inputName, nil):
                    guard let box else { continue }
                    feed[info.name] = try MTLSpec.preprocess(frame.image, box: box)
                default:
                    feed[info.name] = chwTensor(try Imaging.resize(frame.image, width: w, height: h), scale: 1.0 / 255, offsets: (0, 0, 0))
                }
            }
            if feed.count == session.inputs.count { feeds.append(feed) }
        }
        guard !feeds.isEmpty else {
            throw ModelError.invalid(path: video, reason: "no calibration input could be made from it (no face found?)")
        }
        return feeds
    }
}
