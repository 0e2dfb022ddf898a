// dlib's HOG frontal face detector and shape predictor behind the C API.
#include "shim_common.hpp"
#include <dlib/image_processing.h>
#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/opencv.h>
#include <opencv2/imgproc.hpp>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <string>
#include <stdexcept>

using namespace fmshim;

struct fm_face_detector {
    dlib::frontal_face_detector detector = dlib::get_frontal_face_detector();
};

// The fields of a dlib::shape_predictor file, read with dlib's own deserializers. dlib's
// shape_predictor rounds its result to whole pixels; running the same cascade here with dlib's
// impl:: helpers keeps the sub-pixel coordinates it computed.
struct fm_shape_predictor {
    dlib::matrix<float, 0, 1> initial_shape;
    std::vector<std::vector<dlib::impl::regression_tree>> forests;
    std::vector<std::vector<unsigned long>> anchor_idx;
    std::vector<std::vector<dlib::vector<float, 2>>> deltas;

    unsigned long num_parts() const { return initial_shape.size() / 2; }

    template <typename image_type>
    void predict(const image_type &img, const dlib::rectangle &rect, float *xy) const {
        using namespace dlib::impl;
        dlib::matrix<float, 0, 1> shape = initial_shape;
        std::vector<float> features;
        for (unsigned long iter = 0; iter < forests.size(); ++iter) {
            extract_feature_pixel_values(img, rect, shape, initial_shape, anchor_idx[iter], deltas[iter], features);
            unsigned long leaf = 0;
            for (const auto &tree : forests[iter]) shape += tree(features, leaf);
        }
        const dlib::point_transform_affine to_image = unnormalizing_tform(rect);
        for (unsigned long i = 0; i < num_parts(); ++i) {
            dlib::vector<double, 2> p = to_image(location(shape, i));
            xy[2 * i] = (float)p.x();
            xy[2 * i + 1] = (float)p.y();
        }
    }
};

extern "C" fm_face_detector *fm_face_detector_create(char *err, size_t errlen) {
    fm_face_detector *d = nullptr;
    guarded(err, errlen, [&] { d = new fm_face_detector(); });
    return d;
}

extern "C" void fm_face_detector_destroy(fm_face_detector *d) { delete d; }

extern "C" int fm_face_detector_detect(fm_face_detector *d, fm_image img, int upsample, double scale, fm_rect *out,
                                       int max, int *count, char *err, size_t errlen) {
    return guarded(err, errlen, [&] {
        if (!d) throw std::runtime_error("no detector");
        cv::Mat src = mat(img);
        cv::Mat work = src;
        if (scale > 0 && scale < 1) {
            cv::resize(src, work, cv::Size(), scale, scale, cv::INTER_AREA);
        } else {
            scale = 1;
        }
        dlib::matrix<unsigned char> gray;
        dlib::assign_image(gray, dlib::cv_image<dlib::bgr_pixel>(work));
        double factor = 1;
        for (int i = 0; i < upsample; i++) {
            dlib::pyramid_up(gray);
            factor *= 2;
        }
        std::vector<dlib::rect_detection> dets;
        d->detector(gray, dets, 0.0);
        std::sort(dets.begin(), dets.end(),
                  [](const dlib::rect_detection &a, const dlib::rect_detection &b) { return a.detection_confidence > b.detection_confidence; });
        *count = (int)dets.size();
        double k = 1.0 / (factor * scale);
        for (int i = 0; i < (int)dets.size() && i < max; i++) {
            const auto &r = dets[i].rect;
            out[i] = fm_rect{r.left() * k, r.top() * k, (r.right() + 1) * k, (r.bottom() + 1) * k,
                             dets[i].detection_confidence};
        }
    });
}

extern "C" fm_shape_predictor *fm_shape_predictor_load(const char *path, char *err, size_t errlen) {
    fm_shape_predictor *p = nullptr;
    int rc = guarded(err, errlen, [&] {
        std::ifstream in(path, std::ios::binary);
        if (!in) throw std::runtime_error("cannot open the file");
        auto *q = new fm_shape_predictor();
        try {
            int version = 0;
            dlib::deserialize(version, in);
            if (version != 1) throw std::runtime_error("not a dlib shape predictor (version " + std::to_string(version) + ")");
            dlib::deserialize(q->initial_shape, in);
            dlib::deserialize(q->forests, in);
            dlib::deserialize(q->anchor_idx, in);
            dlib::deserialize(q->deltas, in);
            if (q->forests.size() != q->anchor_idx.size() || q->forests.size() != q->deltas.size())
                throw std::runtime_error("inconsistent shape predictor file");
        } catch (...) {
            delete q;
            throw;
        }
        if (q->num_parts() == 0) {
            delete q;
            throw std::runtime_error("the model has no landmarks");
        }
        p = q;
    });
    return rc == 0 ? p : nullptr;
}

extern "C" void fm_shape_predictor_destroy(fm_shape_predictor *p) { delete p; }

extern "C" int fm_shape_predictor_parts(const fm_shape_predictor *p) { return p ? (int)p->num_parts() : 0; }

extern "C" int fm_shape_predictor_fit(const fm_shape_predictor *p, fm_image img, fm_rect box, float *xy, char *err,
                                      size_t errlen) {
    return guarded(err, errlen, [&] {
        if (!p) throw std::runtime_error("no shape predictor");
        cv::Mat m = mat(img);
        dlib::cv_image<dlib::bgr_pixel> view(m);
        dlib::rectangle r(std::lround(box.left), std::lround(box.top), std::lround(box.right) - 1,
                          std::lround(box.bottom) - 1);
        p->predict(view, r, xy);
    });
}
