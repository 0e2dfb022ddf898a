import FaceMirror
import FaceMirrorCore
import VisionBinding
import TestSupport
import XCTest

/// The mirror on a real photo: each output is symmetric about the (tilted) midline, and the kept
/// half is the original to the pixel.
final class MirrorTests: XCTestCase {
    func testMirroredPhotoIsSymmetricAndKeepsItsHalf() throws {
        let photo = try Imaging.read(path: Fixtures.photo)
        XCTAssertEqual(photo.width, 512); XCTAssertEqual(photo.height, 600)
        // A tilted line through the face (glabella and chin of grace_hopper.jpg, roughly).
        let line = Midline(glabella: Point(262, 190), chin: Point(270, 330))
        let out = try MidlineMirror(seamWidth: 6).mirror(photo, about: line)
        let face = (x0: 170, y0: 100, x1: 360, y1: 330)
        let before = try Symmetry.asymmetry(photo, about: line, box: face)
        let right = try Symmetry.asymmetry(out.right, about: line, box: face)
        let left = try Symmetry.asymmetry(out.left, about: line, box: face)
        print("asymmetry (grey levels) photo \(before), right_mirrored \(right), left_mirrored \(left)")
        XCTAssertGreaterThan(before, 10, "the photo itself is not symmetric")
        XCTAssertLessThanOrEqual(right, 2)
        XCTAssertLessThanOrEqual(left, 2)
        // Away from the seam, the kept side is the original pixel for pixel.
        var checked = 0
        for y in stride(from: 100, to: 330, by: 7) {
            for x in stride(from: 170, to: 360, by: 5) {
                let s = line.signedDistance(Point(Double(x), Double(y)))
                if s < -4 { XCTAssertTrue(out.right.pixel(x: x, y: y) == photo.pixel(x: x, y: y)); checked += 1 }
                if s > 4 { XCTAssertTrue(out.left.pixel(x: x, y: y) == photo.pixel(x: x, y: y)); checked += 1 }
            }
        }
        XCTAssertGreaterThan(checked, 1000)
    }

    func testHardCutHasNoSeamBlend() throws {
        let photo = try Imaging.read(path: Fixtures.photo)
        let line = Midline(glabella: Point(256.5, 0), chin: Point(256.5, 599))
        let out = try MidlineMirror(seamWidth: 0).mirror(photo, about: line)
        // Vertical line at x = 256.5: column 256 is kept, column 257 is its mirror image.
        for y in stride(from: 0, to: 600, by: 13) {
            XCTAssertTrue(out.right.pixel(x: 256, y: y) == photo.pixel(x: 256, y: y))
            XCTAssertTrue(out.right.pixel(x: 257, y: y) == photo.pixel(x: 256, y: y))
            XCTAssertTrue(out.right.pixel(x: 300, y: y) == photo.pixel(x: 213, y: y))
            XCTAssertTrue(out.left.pixel(x: 213, y: y) == photo.pixel(x: 300, y: y))
        }
    }
}
