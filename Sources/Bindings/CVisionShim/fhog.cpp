// dlib's Felzenszwalb HOG behind the C API, on a BGR image as OpenFace 2 passes it
// (dlib::cv_image<bgr_pixel>; dlib takes, per pixel, the colour channel with the strongest gradient).
#include "shim_common.hpp"
#include <dlib/image_transforms/fhog.h>
#include <dlib/opencv.h>
#include <stdexcept>

using namespace fmshim;

extern "C" int fm_fhog(fm_image img, int cell_size, float *out, size_t capacity, int *rows, int *cols, char *err,
                       size_t errlen) {
    return guarded(err, errlen, [&] {
        if (cell_size <= 0) throw std::runtime_error("cell size must be positive");
        cv::Mat view = mat(img);
        dlib::cv_image<dlib::bgr_pixel> image(view);
        dlib::array2d<dlib::matrix<float, 31, 1>> hog;
        dlib::extract_fhog_features(image, hog, cell_size);
        *rows = (int)hog.nr();
        *cols = (int)hog.nc();
        const size_t needed = (size_t)hog.nr() * (size_t)hog.nc() * 31;
        if (needed > capacity) throw std::runtime_error("FHOG output larger than the buffer");
        // OpenFace's order: cell row, cell column, then the 31 features of the cell.
        size_t k = 0;
        for (long r = 0; r < hog.nr(); ++r)
            for (long c = 0; c < hog.nc(); ++c)
                for (long o = 0; o < 31; ++o) out[k++] = hog[r][c](o);
    });
}
