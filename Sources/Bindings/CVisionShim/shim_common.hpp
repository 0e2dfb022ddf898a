// Helpers shared by the shim's translation units: error reporting and Mat views of fm_image.
#pragma once
#include "CVisionShim.h"
#include <opencv2/core.hpp>
#include <cstdio>
#include <exception>

namespace fmshim {

inline void set_error(char *err, size_t errlen, const char *msg) {
    if (err && errlen > 0) std::snprintf(err, errlen, "%s", msg);
}

/// A cv::Mat header over the caller's pixels (no copy).
inline cv::Mat mat(fm_image im) {
    return cv::Mat(im.height, im.width, CV_8UC3, im.data, static_cast<size_t>(im.stride));
}

/// Runs `body`, turning any C++ exception into a non-zero return and a message in `err`.
template <typename F> int guarded(char *err, size_t errlen, F &&body) {
    try {
        body();
        return 0;
    } catch (const std::exception &e) {
        set_error(err, errlen, e.what());
    } catch (...) {
        set_error(err, errlen, "unknown C++ exception");
    }
    return 1;
}

} // namespace fmshim
