import ArgumentParser
import FaceMirror
import FaceMirrorCore
import Foundation

/// Where the exam's timeline comes from.
struct ExamOptions: ParsableArguments {
    @Option(name: .customLong("actions"), help: ArgumentHelp("A person's coding of the exam: a CSV of segments action,start,end in seconds (or action,start_frame,end_frame), one video only.",
                                                             discussion: """
            Without it, <stem>_actions.csv beside the video's outputs or beside the video is read where there is one, \
            else an upstream <stem>_left_mirrored_coded.csv beside the video, else the movements are found automatically. \
            Codes: \(ExamAction.codes).
            """), completion: .file(extensions: ["csv"]))
    var actions: String?

    @Option(name: .customLong("au-baseline"), help: ArgumentHelp("Where OpenFace 2's dynamic AUs take the person's neutral face from: video (default) or rest.",
                                                                 discussion: """
            video: OpenFace 2.2's own (the video's running median, right when the most frequent face is neutral);             rest: the exam's rest (BL) frames read as zero, for a short exam that is mostly movement. The exam's             movements are always measured from rest.
            """))
    var auBaseline: AUBaseline = .video

    func apply(to options: inout ProcessOptions) {
        options.actionsFile = actions
        options.auBaseline = auBaseline
    }

    /// `--actions` names one video's coding: it must be a plain file and the run one video.
    func validate(paths: [String]) throws {
        guard let actions else { return }
        switch PathEntry.at(actions) {
        case .nothing: throw ValidationError("--actions \(actions): no such file")
        case .other(let kind): throw ValidationError("--actions \(actions): it is \(kind), not a file")
        case .regularFile: break
        }
        var isFolder: ObjCBool = false
        if paths.count != 1 || (FileManager.default.fileExists(atPath: paths[0], isDirectory: &isFolder) && isFolder.boolValue) {
            throw ValidationError("--actions codes one video: give one video file, not \(paths.count == 1 ? "a folder" : "\(paths.count) paths") (for many, put each coding beside its video as <stem>_actions.csv)")
        }
    }
}
