// OpenCV resampling, rotation, image decoding and the mirror blend.
#include "shim_common.hpp"
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <vector>

using namespace fmshim;

extern "C" int fm_warp_affine(fm_image src, fm_image dst, const double m[6], int inverse_map, int interpolation,
                              uint8_t border, char *err, size_t errlen) {
    return guarded(err, errlen, [&] {
        cv::Mat M(2, 3, CV_64F);
        for (int i = 0; i < 6; i++) M.at<double>(i / 3, i % 3) = m[i];
        cv::Mat out = mat(dst);
        static const int modes[3] = {cv::INTER_LINEAR, cv::INTER_CUBIC, cv::INTER_LANCZOS4};
        if (interpolation < 0 || interpolation > 2) throw std::invalid_argument("unknown interpolation");
        int flags = modes[interpolation] | (inverse_map ? cv::WARP_INVERSE_MAP : 0);
        cv::warpAffine(mat(src), out, M, out.size(), flags, cv::BORDER_CONSTANT, cv::Scalar::all(border));
        if (out.data != dst.data) throw std::runtime_error("warp output was reallocated");
    });
}

extern "C" int fm_warp_perspective_f32(fm_image src, fm_image dst, const float m[9], uint8_t border, char *err,
                                       size_t errlen) {
    return guarded(err, errlen, [&] {
        // A float32 matrix, as numpy's float32 array reaches cv2.warpPerspective in OpenFace 3.0.
        cv::Mat M(3, 3, CV_32F);
        for (int i = 0; i < 9; i++) M.at<float>(i / 3, i % 3) = m[i];
        cv::Mat out = mat(dst);
        cv::warpPerspective(mat(src), out, M, out.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar::all(border));
        if (out.data != dst.data) throw std::runtime_error("warp output was reallocated");
    });
}

extern "C" int fm_rotate(fm_image src, fm_image dst, int quarter_turns, char *err, size_t errlen) {
    return guarded(err, errlen, [&] {
        static const int codes[3] = {cv::ROTATE_90_CLOCKWISE, cv::ROTATE_180, cv::ROTATE_90_COUNTERCLOCKWISE};
        int q = ((quarter_turns % 4) + 4) % 4;
        cv::Mat out = mat(dst);
        if (q == 0) {
            mat(src).copyTo(out);
        } else {
            cv::rotate(mat(src), out, codes[q - 1]);
        }
        if (out.data != dst.data) throw std::runtime_error("rotate: destination has the wrong size");
    });
}

extern "C" int fm_resize(fm_image src, fm_image dst, char *err, size_t errlen) {
    return guarded(err, errlen, [&] {
        cv::Mat out = mat(dst);
        bool shrink = dst.width < src.width || dst.height < src.height;
        cv::resize(mat(src), out, out.size(), 0, 0, shrink ? cv::INTER_AREA : cv::INTER_LINEAR);
    });
}

// A decoded picture handed to Swift in a buffer of its own (freed with fm_free).
static fm_image owned_copy(const cv::Mat &im) {
    if (im.empty()) throw std::runtime_error("cannot decode image");
    size_t bytes = im.total() * 3;
    auto *buf = static_cast<uint8_t *>(std::malloc(bytes));
    if (!buf) throw std::bad_alloc();
    cv::Mat dst(im.rows, im.cols, CV_8UC3, buf);
    im.copyTo(dst);
    return fm_image{buf, im.cols, im.rows, im.cols * 3};
}

extern "C" int fm_read_image(const char *path, fm_image *out, char *err, size_t errlen) {
    return guarded(err, errlen, [&] { *out = owned_copy(cv::imread(path, cv::IMREAD_COLOR)); });
}

extern "C" int fm_decode_image(const uint8_t *bytes, size_t len, fm_image *out, char *err, size_t errlen) {
    return guarded(err, errlen, [&] {
        const cv::Mat encoded(1, static_cast<int>(len), CV_8UC1, const_cast<uint8_t *>(bytes));
        *out = owned_copy(cv::imdecode(encoded, cv::IMREAD_COLOR));
    });
}

extern "C" int fm_encode_jpeg(fm_image src, int quality, uint8_t **out, size_t *out_len, char *err, size_t errlen) {
    return guarded(err, errlen, [&] {
        std::vector<uchar> bytes;
        if (!cv::imencode(".jpg", mat(src), bytes, {cv::IMWRITE_JPEG_QUALITY, quality})) throw std::runtime_error("cannot encode JPEG");
        auto *buf = static_cast<uint8_t *>(std::malloc(bytes.size()));
        if (!buf) throw std::bad_alloc();
        std::memcpy(buf, bytes.data(), bytes.size());
        *out = buf;
        *out_len = bytes.size();
    });
}

extern "C" void fm_free(void *p) { std::free(p); }

extern "C" int fm_mirror_pair(fm_image src, const double line[4], double seam, fm_image out_neg, fm_image out_pos,
                              char *err, size_t errlen) {
    return guarded(err, errlen, [&] {
        double dx = line[2] - line[0], dy = line[3] - line[1];
        double len = std::hypot(dx, dy);
        if (!(len > 1e-6)) throw std::runtime_error("midline points coincide");
        // Unit normal of the line; s = n·(p − g) is the signed distance (negative = image-left of a downward line).
        const double nx = dy / len, ny = -dx / len, gx = line[0], gy = line[1];
        // Reflection p' = p − 2 n nᵀ (p − g) is affine and its own inverse.
        double R[6] = {1 - 2 * nx * nx, -2 * nx * ny, 0, -2 * nx * ny, 1 - 2 * ny * ny, 0};
        R[2] = 2 * nx * (nx * gx + ny * gy);
        R[5] = 2 * ny * (nx * gx + ny * gy);
        cv::Mat M(2, 3, CV_64F, R);
        cv::Mat reflected;
        cv::warpAffine(mat(src), reflected, M, cv::Size(src.width, src.height), cv::INTER_LINEAR | cv::WARP_INVERSE_MAP,
                       cv::BORDER_CONSTANT, cv::Scalar::all(0));
        // w(s) = weight of the original pixel in the keep-negative output; the keep-positive output uses 1 − w.
        // w(−s) = 1 − w(s) is what makes both outputs symmetric about the line.
        const double half = seam > 0 ? seam / 2 : 0;
        // Per row, s is linear in x: whole runs of pixels lie on one side of the seam band and are copied as
        // spans; only the pixels near the band are blended one by one. s(x) = s0 + x·nx in closed form on
        // both paths, so a pixel's weight does not depend on which path handled it.
        const int width = src.width;
        auto weight = [&](double s) {
            if (half > 0) return std::clamp(0.5 - s / (2 * half), 0.0, 1.0);
            return s < 0 ? 1.0 : (s > 0 ? 0.0 : 0.5);
        };
        for (int y = 0; y < src.height; y++) {
            const uint8_t *a = src.data + (size_t)y * src.stride;
            const uint8_t *b = reflected.ptr<uint8_t>(y);
            uint8_t *pn = out_neg.data ? out_neg.data + (size_t)y * out_neg.stride : nullptr;
            uint8_t *pp = out_pos.data ? out_pos.data + (size_t)y * out_pos.stride : nullptr;
            const double s0 = nx * (0 - gx) + ny * (y - gy);
            // Columns where |s| ≤ half + 2 (a margin of two pixels around the band), clamped to the row.
            int lo = 0, hi = width;
            if (std::abs(nx) > 1e-12) {
                double xa = (-(half + 2) - s0) / nx, xb = ((half + 2) - s0) / nx;
                if (xa > xb) std::swap(xa, xb);
                lo = (int)std::clamp(std::floor(xa), 0.0, (double)width);
                hi = (int)std::clamp(std::ceil(xb) + 1, 0.0, (double)width);
            } else if (std::abs(s0) > half + 2) {
                lo = hi = width;  // the whole row is on one side
            }
            // Spans left of `lo` and right of `hi` take the side of their first pixel.
            auto span = [&](int from, int to) {
                if (to <= from) return;
                const bool keepOriginal = weight(s0 + from * nx) >= 1.0;
                const size_t n = (size_t)(to - from) * 3;
                if (pn) std::memcpy(pn + 3 * from, (keepOriginal ? a : b) + 3 * from, n);
                if (pp) std::memcpy(pp + 3 * from, (keepOriginal ? b : a) + 3 * from, n);
            };
            span(0, lo);
            for (int x = lo; x < hi; x++) {
                const double w = weight(s0 + x * nx);
                const uint8_t *A = a + 3 * x, *B = b + 3 * x;
                if (w >= 1.0) {
                    if (pn) std::memcpy(pn + 3 * x, A, 3);
                    if (pp) std::memcpy(pp + 3 * x, B, 3);
                } else if (w <= 0.0) {
                    if (pn) std::memcpy(pn + 3 * x, B, 3);
                    if (pp) std::memcpy(pp + 3 * x, A, 3);
                } else {
                    for (int c = 0; c < 3; c++) {
                        double va = A[c], vb = B[c];
                        if (pn) pn[3 * x + c] = (uint8_t)std::lround(w * va + (1 - w) * vb);
                        if (pp) pp[3 * x + c] = (uint8_t)std::lround((1 - w) * va + w * vb);
                    }
                }
            }
            span(hi, width);
        }
    });
}
