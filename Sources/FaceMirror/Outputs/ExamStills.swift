import FaceMirrorCore
import Foundation
import VisionBinding

/// `<stem>_exam_stills.jpg`: one row per movement of the exam, so that a reader sees what was measured.
/// Above each row its code, name, times and the frames shown; below, the face at rest and at the
/// movement's peak, each as right–right and left–left (the frames `ExamResult.Movement` names).
public enum ExamStills {
    /// Each face picture is `face` × `face` pixels.
    public static let face = 160
    /// The row's title band, and the space between the rest and the peak pictures.
    public static let band = 30
    public static let gap = 12
    /// One movement's row, and the sheet's width.
    public static let rowHeight = band + face + 6
    public static let width = 4 * face + gap
    static let titleScale = 0.42
    /// Rows on one sheet at most (about 30 kB of JPEG each): an exam asks a dozen or so movements, but a
    /// long video whose timeline was found automatically can hold thousands, and the sheet (and the
    /// report it is shown in) would grow without end.
    public static let maxRows = 24

    /// The movements the sheet shows: all of them up to `maxRows`; beyond, the first of each code, then
    /// the earliest others, in time order.
    public static func shown(_ movements: [ExamResult.Movement]) -> [ExamResult.Movement] {
        guard movements.count > maxRows else { return movements }
        var picked = Set<Int>(), codes = Set<ExamAction>()
        for (k, m) in movements.enumerated() where picked.count < maxRows && codes.insert(m.action).inserted { picked.insert(k) }
        for k in movements.indices where picked.count < maxRows { picked.insert(k) }
        return movements.indices.filter(picked.contains).map { movements[$0] }
    }

    /// A frame's right–right and left–left faces (`FaceCrop.thumbnail`s, `face` square) side by side, as
    /// JPEG: what is kept of a frame until the exam is known.
    static func pair(right: Image, left: Image) throws -> [UInt8] {
        var out = Image(width: 2 * face, height: face)
        out.paste(right, x: 0, y: 0)
        out.paste(left, x: face, y: 0)
        return try Imaging.encodeJPEG(out, quality: 85)
    }

    /// The sheet as JPEG, nil without movements. `pair` gives the kept pair picture at or nearest a
    /// frame, with the frame it shows; nil when there is none.
    /// Past `maxRows` movements, a last band says how many are shown.
    static func sheet(_ all: [ExamResult.Movement], pair: (Int) throws -> (frame: Int, picture: [UInt8])?) throws -> [UInt8]? {
        guard !all.isEmpty else { return nil }
        let movements = shown(all)
        let note = movements.count < all.count ? band : 0
        var out = Image(width: width, height: movements.count * rowHeight + note, fill: 255)
        if note > 0 {
            try out.drawLabel("\(movements.count) of \(all.count) movements shown: the first of each code, then the earliest", x: 0,
                              y: movements.count * rowHeight + 4, scale: titleScale, foreground: .black, background: .white)
        }
        for (r, m) in movements.enumerated() {
            let y = r * rowHeight
            var shown: [String] = []
            for (k, (what, frame)) in [("rest", m.restStillFrame), ("peak", m.peakStillFrame)].enumerated() {
                let x = k * (2 * face + gap)
                if let frame, let found = try pair(frame) {
                    out.paste(try Imaging.decode(found.picture), x: x, y: y + band)
                    shown.append("\(what) frame \(found.frame)")
                    for (j, side) in ["R-R", "L-L"].enumerated() {
                        try out.drawLabel("\(what) \(side)", x: x + j * face + 3, y: y + band + 3, scale: 0.35, foreground: .white, background: .black)
                    }
                } else {
                    out.paste(Image(width: 2 * face, height: face, fill: 225), x: x, y: y + band)
                    try out.drawLabel("\(what): no face picture", x: x + 6, y: y + band + face / 2 - 12, scale: 0.4, foreground: .black,
                                      background: Colour(r: 225, g: 225, b: 225))
                }
            }
            let title = "\(m.action.rawValue) \(m.occurrence) \(m.name), \(String(format: "%.2f-%.2f", m.start, m.end)) s: "
                + shown.joined(separator: ", ")
            // OpenCV's font has ASCII only.
            try out.drawLabel(String(title.unicodeScalars.map { $0.isASCII ? Character($0) : "?" }), x: 0, y: y + 1, scale: titleScale,
                              foreground: .black, background: .white)
        }
        return try Imaging.encodeJPEG(out, quality: 85)
    }
}
