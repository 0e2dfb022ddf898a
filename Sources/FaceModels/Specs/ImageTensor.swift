import FaceMirrorCore
import OrtBinding

/// Channel-planar float tensor [1, 3, H, W] of an image's B, G, R bytes, as v·scale + offset of the channel.
public func chwTensor(_ image: Image, scale: Float, offsets: (b: Float, g: Float, r: Float)) -> Tensor {
    let plane = image.width * image.height
    var values = [Float](repeating: 0, count: 3 * plane)
    image.pixels.withUnsafeBufferPointer { src in
        values.withUnsafeMutableBufferPointer { dst in
            for i in 0..<plane {
                dst[i] = Float(src[3 * i]) * scale + offsets.b
                dst[plane + i] = Float(src[3 * i + 1]) * scale + offsets.g
                dst[2 * plane + i] = Float(src[3 * i + 2]) * scale + offsets.r
            }
        }
    }
    return Tensor(shape: [1, 3, image.height, image.width], values: values)
}
