import CVisionShim
import FaceMirrorCore

/// dlib's Felzenszwalb HOG features (31 per cell), as OpenFace 2 extracts them for its AU models.
public enum FHOG {
    /// The features of `image` with `cellSize`-pixel cells, cell row by cell row, 31 values per cell;
    /// dlib drops the border cells, so a 112×112 image with 8-pixel cells gives 12 × 12 × 31 = 4464.
    public static func features(_ image: Image, cellSize: Int = 8) throws -> (values: [Float], rows: Int, columns: Int) {
        let capacity = max(0, image.height / cellSize) * max(0, image.width / cellSize) * 31
        var values = [Float](repeating: 0, count: capacity)
        var rows: Int32 = 0, columns: Int32 = 0
        try image.withShimImage { img in
            try shimCall("FHOG") { fm_fhog(img, Int32(cellSize), &values, capacity, &rows, &columns, $0, $1) }
        }
        values.removeLast(capacity - Int(rows) * Int(columns) * 31)
        return (values, Int(rows), Int(columns))
    }
}
