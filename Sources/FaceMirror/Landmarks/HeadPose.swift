import FaceMirrorCore
import FaceModels
import Foundation

/// A frame's head pose as OpenFace 2.2 writes it (`pose_Tx … pose_Rz`): the translation of the head in
/// millimetres from the camera and its rotation about the camera's x (pitch), y (yaw) and z (roll) axes
/// in radians, from OpenFace 2's 3D face model fitted to the 68 points.
public struct HeadPose: Sendable, Equatable {
    public var tx: Double, ty: Double, tz: Double
    public var rx: Double, ry: Double, rz: Double

    public init(tx: Double, ty: Double, tz: Double, rx: Double, ry: Double, rz: Double) {
        (self.tx, self.ty, self.tz, self.rx, self.ry, self.rz) = (tx, ty, tz, rx, ry, rz)
    }

    public static let columns = ["pose_Tx", "pose_Ty", "pose_Tz", "pose_Rx", "pose_Ry", "pose_Rz"]
    public var values: [Double] { [tx, ty, tz, rx, ry, rz] }

    public var pitchDegrees: Double { rx * 180 / .pi }
    public var yawDegrees: Double { ry * 180 / .pi }
}

/// Fits OpenFace 2's point distribution model to a frame's 68 points (`PDM::CalcParams`) and turns
/// its weak-perspective pose into OpenFace 2.2's `GetPose`: with the camera's focal length f (in
/// pixels) and centre (cx, cy), Tz = f / scale, Tx = (tx − cx) / f · Tz, Ty = (ty − cy) / f · Tz, the
/// rotation as fitted. Without a calibration OpenFace guesses f = the mean of 500 · width / 640 and
/// 500 · height / 480, the centre the frame's middle; so does this.
public struct HeadPoseEstimator: Sendable {
    public let pdm: PointDistributionModel
    public let focal: Double, cx: Double, cy: Double

    public init(pdm: PointDistributionModel, width: Int, height: Int) {
        self.pdm = pdm
        focal = (500 * Double(width) / 640 + 500 * Double(height) / 480) / 2
        cx = Double(width) / 2
        cy = Double(height) / 2
    }

    /// The pose of a 68-point face (nil for other layouts or a degenerate fit). `previous`: the fit of
    /// the frame before, where the search starts (as OpenFace 2.2's tracker carries its pose from frame to
    /// frame); it is given this frame's fit.
    public func pose(_ face: FaceLandmarks, previous: inout PDMParameters?) -> HeadPose? {
        guard face.layout.count == PointDistributionModel.points else { return nil }
        let points = (0..<face.layout.count).map { face[$0] }
        let g = pdm.fit(points, start: previous)
        guard g.scale.isFinite, g.scale > 0 else {
            previous = nil
            return nil
        }
        previous = g
        let z = focal / g.scale
        return HeadPose(tx: (g.tx - cx) / focal * z, ty: (g.ty - cy) / focal * z, tz: z, rx: g.rx, ry: g.ry, rz: g.rz)
    }
}
