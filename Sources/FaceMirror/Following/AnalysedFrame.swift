import FaceMirrorCore
import MediaBinding

/// One frame as the AU methods and the outputs receive it: the picture, what the face follower found
/// on it, its two mirrored hemifaces, its landmark measures (both nil without a face) and its head pose
/// (where OpenFace 2's face model is loaded and the face has 68 points).
public struct AnalysedFrame {
    public let frame: VideoFrame
    public let analysis: FrameAnalysis
    public let mirrored: MirroredPair?
    public let measures: FrameMeasures?
    public let pose: HeadPose?

    public init(frame: VideoFrame, analysis: FrameAnalysis, mirrored: MirroredPair?, measures: FrameMeasures?, pose: HeadPose? = nil) {
        self.frame = frame
        self.analysis = analysis
        self.mirrored = mirrored
        self.measures = measures
        self.pose = pose
    }
}
