import ArgumentParser
import FaceMirror

/// Which action units are measured on both hemifaces, and OpenFace 2's own settings.
struct ActionUnitOptions: ParsableArguments {
    @Option(name: .customLong("au"), help: ArgumentHelp("Action units measured on both hemifaces: openface2, mtl or none (repeat to run two).",
                                                         discussion: """
            openface2: \(AUMethod.openface2.summary), on any stack; the default once its models are installed \
            (facemirror model fetch openface2-au --accept-licence). mtl: \(AUMethod.mtl.summary) (--au-model or the \
            --models folder); the default when one is given. With both, OpenFace 2's go to <stem>_{right,left}_mirrored.csv \
            and MTL's to <stem>_{right,left}_mirrored_mtl.csv.
            """))
    var au: [AUChoice] = []

    @Option(name: .customLong("openface2"), help: "Folder of OpenFace 2 AU models (default: the store's, from `model fetch openface2-au` or `model import-openface2`).",
            completion: .directory)
    var openFace2: String?

    @Option(help: ArgumentHelp("Where each mirrored hemiface's landmarks for OpenFace 2 come from: reflected (default) or refitted.",
                               discussion: "reflected: the frame's landmarks, the kept half's mirrored onto the other; refitted: the landmark model run again on each mirrored picture."))
    var hemifaceLandmarks: HemifaceLandmarkSource?

    func apply(to request: inout RunRequest) {
        request.actionUnits = au
        request.openFace2Directory = openFace2
        request.hemifaceLandmarks = hemifaceLandmarks
    }

    func validate() throws {
        do {
            try RunRequest.validateActionUnits(au, openFace2Directory: openFace2, hemifaceLandmarks: hemifaceLandmarks)
        } catch { throw ValidationError("\(error)") }
    }
}
