import ArgumentParser
import FaceMirror

/// How the face is followed through a video.
struct FollowingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("How landmarks are smoothed over frames (default: centred).",
                               discussion: "centred: zero lag, a window over the 2 frames before and after; causal: a weighted mean of the last 5 frames (it trails a moving head); none: each frame's own fit."))
    var smoothing: LandmarkSmoothing?

    @Flag(help: "Detect on every frame, no tracking and no smoothing (per-frame results as OpenFace 3.0's reference code gives them).")
    var raw = false

    func settings() throws -> FaceFollower.Settings { try FaceFollower.Settings.choose(raw: raw, smoothing: smoothing) }

    func validate() throws {
        do { _ = try settings() } catch { throw ValidationError("\(error)") }
    }
}
