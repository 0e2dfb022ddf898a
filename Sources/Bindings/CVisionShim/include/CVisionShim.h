// C API over OpenCV and dlib. Every function catches C++ exceptions and reports them through
// `err` (a caller-owned buffer); the return value is 0 on success, non-zero on failure.
// Images are packed 8-bit BGR, `stride` bytes per row.
#ifndef CVISIONSHIM_H
#define CVISIONSHIM_H
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fm_image {
    uint8_t *data;
    int width;
    int height;
    int stride;
} fm_image;

typedef struct fm_rect {
    double left, top, right, bottom;
    double score;
} fm_rect;

// ---- OpenCV: geometry and resampling ----
/// dst = src warped by the 2x3 affine `m` (dst pixel → src pixel when `inverse_map` is 1), constant border.
/// `interpolation`: 0 bilinear, 1 bicubic, 2 Lanczos (8×8).
int fm_warp_affine(fm_image src, fm_image dst, const double m[6], int inverse_map, int interpolation, uint8_t border,
                   char *err, size_t errlen);
/// Turns the picture by `quarter_turns` × 90° clockwise (1, 2 or 3). dst has the turned size.
/// cv::warpPerspective, bilinear, constant border, with a float32 3×3 matrix (row-major) sending source to destination.
int fm_warp_perspective_f32(fm_image src, fm_image dst, const float m[9], uint8_t border, char *err, size_t errlen);
int fm_rotate(fm_image src, fm_image dst, int quarter_turns, char *err, size_t errlen);
/// Resizes src to dst's size (area interpolation when shrinking, bilinear when growing).
int fm_resize(fm_image src, fm_image dst, char *err, size_t errlen);
/// Decodes an image file (JPEG, PNG, ...) into a newly malloc'd BGR buffer (free with fm_free).
int fm_read_image(const char *path, fm_image *out, char *err, size_t errlen);
/// Decodes an image file's bytes held in memory (JPEG, PNG, …).
int fm_decode_image(const uint8_t *bytes, size_t len, fm_image *out, char *err, size_t errlen);
void fm_free(void *p);
/// Encodes an image as JPEG (quality 0-100) into a newly malloc'd buffer (free with fm_free).
int fm_encode_jpeg(fm_image src, int quality, uint8_t **out, size_t *out_len, char *err, size_t errlen);

/// Mirrors src about the line through (line[0], line[1]) and (line[2], line[3]).
/// out_keep_neg keeps the side with negative signed distance (image-left of a downward line) and
/// fills the other side with its reflection; out_keep_pos the opposite. Within ±seam/2 px of the line
/// the two are cross-faded so that every output stays exactly symmetric. Either output may be NULL data.
int fm_mirror_pair(fm_image src, const double line[4], double seam, fm_image out_keep_neg, fm_image out_keep_pos,
                   char *err, size_t errlen);

// ---- OpenCV: drawing (in place) ----
int fm_draw_line(fm_image img, double x1, double y1, double x2, double y2, const uint8_t bgr[3], int thickness,
                 char *err, size_t errlen);
int fm_draw_rect(fm_image img, double x1, double y1, double x2, double y2, const uint8_t bgr[3], int thickness,
                 char *err, size_t errlen);
int fm_draw_points(fm_image img, const float *xy, int count, int radius, const uint8_t bgr[3], char *err,
                   size_t errlen);
/// Text with a filled background box at (x, y) = top-left corner.
int fm_draw_label(fm_image img, const char *text, int x, int y, double scale, const uint8_t fg[3],
                  const uint8_t bg[3], char *err, size_t errlen);

// ---- dlib: HOG face detector and shape predictor ----
typedef struct fm_face_detector fm_face_detector;
typedef struct fm_shape_predictor fm_shape_predictor;

fm_face_detector *fm_face_detector_create(char *err, size_t errlen);
void fm_face_detector_destroy(fm_face_detector *d);
/// Finds faces; writes at most `max` rects (sorted by score, best first) and their total count in *count.
/// `upsample` pyramid-up steps (0 = none) help with small faces; `scale` < 1 shrinks the frame first.
int fm_face_detector_detect(fm_face_detector *d, fm_image img, int upsample, double scale, fm_rect *out, int max,
                            int *count, char *err, size_t errlen);

fm_shape_predictor *fm_shape_predictor_load(const char *path, char *err, size_t errlen);
void fm_shape_predictor_destroy(fm_shape_predictor *p);
int fm_shape_predictor_parts(const fm_shape_predictor *p);
/// Fits the shape inside `box`; writes 2 × parts floats (x0, y0, x1, y1, ...).
int fm_shape_predictor_fit(const fm_shape_predictor *p, fm_image img, fm_rect box, float *xy, char *err,
                           size_t errlen);

// ---- dlib: FHOG features ----
/// dlib's extract_fhog_features on the BGR image with `cell_size`-pixel cells: (h/cell - 2) × (w/cell - 2)
/// cells × 31 features, written row by row, cell by cell (OpenFace 2's order) into `out` (`capacity` floats).
int fm_fhog(fm_image img, int cell_size, float *out, size_t capacity, int *rows, int *cols, char *err, size_t errlen);

/// The OpenCV and dlib versions this shim was built against, e.g. "opencv 4.6.0; dlib 19.24.0".
void fm_library_versions(char *out, size_t len);

#ifdef __cplusplus
}
#endif
#endif
