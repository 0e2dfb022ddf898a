import CVisionShim
import FaceMirrorCore

/// The OpenCV and dlib this build uses, for provenance records.
public enum VisionLibraries {
    /// "opencv" and "dlib" to their versions.
    public static var versions: [String: String] {
        var buffer = [CChar](repeating: 0, count: 128)
        fm_library_versions(&buffer, buffer.count)
        var out: [String: String] = [:]
        for part in String(nulTerminated: buffer).split(separator: ";") {
            let words = part.split(separator: " ")
            if words.count == 2 { out[String(words[0])] = String(words[1]) }
        }
        return out
    }
}
