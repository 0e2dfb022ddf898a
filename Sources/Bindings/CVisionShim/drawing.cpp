// OpenCV drawing for the debug video.
#include "shim_common.hpp"
#include <opencv2/imgproc.hpp>

using namespace fmshim;

static cv::Scalar colour(const uint8_t bgr[3]) { return cv::Scalar(bgr[0], bgr[1], bgr[2]); }

extern "C" int fm_draw_line(fm_image img, double x1, double y1, double x2, double y2, const uint8_t bgr[3],
                            int thickness, char *err, size_t errlen) {
    return guarded(err, errlen, [&] {
        cv::Mat m = mat(img);
        // Sub-pixel endpoints: 4 fractional bits.
        cv::line(m, cv::Point(cvRound(x1 * 16), cvRound(y1 * 16)), cv::Point(cvRound(x2 * 16), cvRound(y2 * 16)),
                 colour(bgr), thickness, cv::LINE_AA, 4);
    });
}

extern "C" int fm_draw_rect(fm_image img, double x1, double y1, double x2, double y2, const uint8_t bgr[3],
                            int thickness, char *err, size_t errlen) {
    return guarded(err, errlen, [&] {
        cv::Mat m = mat(img);
        cv::rectangle(m, cv::Point(cvRound(x1), cvRound(y1)), cv::Point(cvRound(x2), cvRound(y2)), colour(bgr),
                      thickness, cv::LINE_8);
    });
}

extern "C" int fm_draw_points(fm_image img, const float *xy, int count, int radius, const uint8_t bgr[3], char *err,
                              size_t errlen) {
    return guarded(err, errlen, [&] {
        cv::Mat m = mat(img);
        for (int i = 0; i < count; i++) {
            float x = xy[2 * i], y = xy[2 * i + 1];
            if (x != x || y != y) continue;  // NaN: no point
            cv::circle(m, cv::Point(cvRound(x * 16), cvRound(y * 16)), radius * 16, colour(bgr), cv::FILLED,
                       cv::LINE_AA, 4);
        }
    });
}

extern "C" int fm_draw_label(fm_image img, const char *text, int x, int y, double scale, const uint8_t fg[3],
                             const uint8_t bg[3], char *err, size_t errlen) {
    return guarded(err, errlen, [&] {
        cv::Mat m = mat(img);
        int baseline = 0;
        int thickness = scale >= 1 ? 2 : 1;
        cv::Size size = cv::getTextSize(text, cv::FONT_HERSHEY_SIMPLEX, scale, thickness, &baseline);
        int pad = 6;
        cv::rectangle(m, cv::Rect(x, y, size.width + 2 * pad, size.height + baseline + 2 * pad), colour(bg), cv::FILLED);
        cv::putText(m, text, cv::Point(x + pad, y + pad + size.height), cv::FONT_HERSHEY_SIMPLEX, scale, colour(fg),
                    thickness, cv::LINE_AA);
    });
}
