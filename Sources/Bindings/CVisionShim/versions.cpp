// The versions of the libraries behind the shim, for provenance records.
#include "CVisionShim.h"

#include <cstdio>
#include <dlib/revision.h>
#include <opencv2/core/version.hpp>

extern "C" void fm_library_versions(char *out, size_t len) {
    std::snprintf(out, len, "opencv %s; dlib %d.%d.%d", CV_VERSION, DLIB_MAJOR_VERSION, DLIB_MINOR_VERSION, DLIB_PATCH_VERSION);
}
