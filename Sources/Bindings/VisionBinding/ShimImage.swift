import CVisionShim
import FaceMirrorCore

/// An `Image` as the shim's `fm_image` view of the same bytes (no copy), valid inside the closure.
extension Image {
    func withShimImage<R>(_ body: (fm_image) throws -> R) rethrows -> R {
        try pixels.withUnsafeBufferPointer { buf in
            // The shim takes a mutable pointer for every image; read-only calls never write through it.
            try body(fm_image(data: UnsafeMutablePointer(mutating: buf.baseAddress), width: Int32(width),
                              height: Int32(height), stride: Int32(stride)))
        }
    }

    mutating func withMutableShimImage<R>(_ body: (fm_image) throws -> R) rethrows -> R {
        let (w, h, s) = (width, height, stride)
        return try pixels.withUnsafeMutableBufferPointer { buf in
            try body(fm_image(data: buf.baseAddress, width: Int32(w), height: Int32(h), stride: Int32(s)))
        }
    }
}
