import FaceMirrorCore
import MediaBinding

/// One frame as the AU methods and the outputs receive it: the picture, what the face follower found
/// on it, its two mirrored hemifaces and its landmark measures (both nil without a face).
public struct AnalysedFrame {
    public let frame: VideoFrame
    public let analysis: FrameAnalysis
    public let mirrored: MirroredPair?
    public let measures: FrameMeasures?

    public init(frame: VideoFrame, analysis: FrameAnalysis, mirrored: MirroredPair?, measures: FrameMeasures?) {
        self.frame = frame
        self.analysis = analysis
        self.mirrored = mirrored
        self.measures = measures
    }
}
