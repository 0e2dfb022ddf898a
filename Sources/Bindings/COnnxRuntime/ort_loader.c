// Opens ONNX Runtime with dlopen, so the library's location is chosen at run time.
#include "COnnxRuntime.h"
#include <dlfcn.h>
#include <stdio.h>

_Static_assert(offsetof(OrtApi, GetErrorCode) == 1 * sizeof(void *), "slot of GetErrorCode");
_Static_assert(offsetof(OrtApi, GetErrorMessage) == 2 * sizeof(void *), "slot of GetErrorMessage");
_Static_assert(offsetof(OrtApi, CreateEnv) == 3 * sizeof(void *), "slot of CreateEnv");
_Static_assert(offsetof(OrtApi, CreateEnvWithCustomLogger) == 4 * sizeof(void *), "slot of CreateEnvWithCustomLogger");
_Static_assert(offsetof(OrtApi, CreateSession) == 7 * sizeof(void *), "slot of CreateSession");
_Static_assert(offsetof(OrtApi, CreateSessionFromArray) == 8 * sizeof(void *), "slot of CreateSessionFromArray");
_Static_assert(offsetof(OrtApi, Run) == 9 * sizeof(void *), "slot of Run");
_Static_assert(offsetof(OrtApi, CreateSessionOptions) == 10 * sizeof(void *), "slot of CreateSessionOptions");
_Static_assert(offsetof(OrtApi, SetOptimizedModelFilePath) == 11 * sizeof(void *), "slot of SetOptimizedModelFilePath");
_Static_assert(offsetof(OrtApi, EnableProfiling) == 14 * sizeof(void *), "slot of EnableProfiling");
_Static_assert(offsetof(OrtApi, SetSessionLogSeverityLevel) == 22 * sizeof(void *), "slot of SetSessionLogSeverityLevel");
_Static_assert(offsetof(OrtApi, SetSessionGraphOptimizationLevel) == 23 * sizeof(void *), "slot of SetSessionGraphOptimizationLevel");
_Static_assert(offsetof(OrtApi, SetIntraOpNumThreads) == 24 * sizeof(void *), "slot of SetIntraOpNumThreads");
_Static_assert(offsetof(OrtApi, SetInterOpNumThreads) == 25 * sizeof(void *), "slot of SetInterOpNumThreads");
_Static_assert(offsetof(OrtApi, SessionGetInputCount) == 30 * sizeof(void *), "slot of SessionGetInputCount");
_Static_assert(offsetof(OrtApi, SessionGetOutputCount) == 31 * sizeof(void *), "slot of SessionGetOutputCount");
_Static_assert(offsetof(OrtApi, SessionGetInputTypeInfo) == 33 * sizeof(void *), "slot of SessionGetInputTypeInfo");
_Static_assert(offsetof(OrtApi, SessionGetOutputTypeInfo) == 34 * sizeof(void *), "slot of SessionGetOutputTypeInfo");
_Static_assert(offsetof(OrtApi, SessionGetInputName) == 36 * sizeof(void *), "slot of SessionGetInputName");
_Static_assert(offsetof(OrtApi, SessionGetOutputName) == 37 * sizeof(void *), "slot of SessionGetOutputName");
_Static_assert(offsetof(OrtApi, CreateTensorWithDataAsOrtValue) == 49 * sizeof(void *), "slot of CreateTensorWithDataAsOrtValue");
_Static_assert(offsetof(OrtApi, GetTensorMutableData) == 51 * sizeof(void *), "slot of GetTensorMutableData");
_Static_assert(offsetof(OrtApi, CastTypeInfoToTensorInfo) == 55 * sizeof(void *), "slot of CastTypeInfoToTensorInfo");
_Static_assert(offsetof(OrtApi, GetTensorElementType) == 60 * sizeof(void *), "slot of GetTensorElementType");
_Static_assert(offsetof(OrtApi, GetDimensionsCount) == 61 * sizeof(void *), "slot of GetDimensionsCount");
_Static_assert(offsetof(OrtApi, GetDimensions) == 62 * sizeof(void *), "slot of GetDimensions");
_Static_assert(offsetof(OrtApi, GetSymbolicDimensions) == 63 * sizeof(void *), "slot of GetSymbolicDimensions");
_Static_assert(offsetof(OrtApi, GetTensorShapeElementCount) == 64 * sizeof(void *), "slot of GetTensorShapeElementCount");
_Static_assert(offsetof(OrtApi, GetTensorTypeAndShape) == 65 * sizeof(void *), "slot of GetTensorTypeAndShape");
_Static_assert(offsetof(OrtApi, CreateCpuMemoryInfo) == 69 * sizeof(void *), "slot of CreateCpuMemoryInfo");
_Static_assert(offsetof(OrtApi, AllocatorFree) == 76 * sizeof(void *), "slot of AllocatorFree");
_Static_assert(offsetof(OrtApi, GetAllocatorWithDefaultOptions) == 78 * sizeof(void *), "slot of GetAllocatorWithDefaultOptions");
_Static_assert(offsetof(OrtApi, ReleaseEnv) == 92 * sizeof(void *), "slot of ReleaseEnv");
_Static_assert(offsetof(OrtApi, ReleaseStatus) == 93 * sizeof(void *), "slot of ReleaseStatus");
_Static_assert(offsetof(OrtApi, ReleaseMemoryInfo) == 94 * sizeof(void *), "slot of ReleaseMemoryInfo");
_Static_assert(offsetof(OrtApi, ReleaseSession) == 95 * sizeof(void *), "slot of ReleaseSession");
_Static_assert(offsetof(OrtApi, ReleaseValue) == 96 * sizeof(void *), "slot of ReleaseValue");
_Static_assert(offsetof(OrtApi, ReleaseTypeInfo) == 98 * sizeof(void *), "slot of ReleaseTypeInfo");
_Static_assert(offsetof(OrtApi, ReleaseTensorTypeAndShapeInfo) == 99 * sizeof(void *), "slot of ReleaseTensorTypeAndShapeInfo");
_Static_assert(offsetof(OrtApi, ReleaseSessionOptions) == 100 * sizeof(void *), "slot of ReleaseSessionOptions");
_Static_assert(offsetof(OrtApi, SessionEndProfiling) == 110 * sizeof(void *), "slot of SessionEndProfiling");
_Static_assert(offsetof(OrtApi, GetAvailableProviders) == 125 * sizeof(void *), "slot of GetAvailableProviders");
_Static_assert(offsetof(OrtApi, ReleaseAvailableProviders) == 126 * sizeof(void *), "slot of ReleaseAvailableProviders");
_Static_assert(offsetof(OrtApi, AddSessionConfigEntry) == 130 * sizeof(void *), "slot of AddSessionConfigEntry");
_Static_assert(offsetof(OrtApi, SessionOptionsAppendExecutionProvider) == 216 * sizeof(void *), "slot of SessionOptionsAppendExecutionProvider");

typedef struct OrtApiBase {
    const OrtApi *(*GetApi)(uint32_t version);
    const char *(*GetVersionString)(void);
} OrtApiBase;

static void *library;
static const OrtApiBase *base;

const OrtApi *fm_ort_load(const char *path, uint32_t api_version, char *err, size_t errlen) {
    void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        snprintf(err, errlen, "%s", dlerror());
        return NULL;
    }
    const OrtApiBase *(*get_base)(void) = (const OrtApiBase *(*)(void))dlsym(handle, "OrtGetApiBase");
    if (!get_base) {
        snprintf(err, errlen, "%s does not export OrtGetApiBase: not an ONNX Runtime library", path);
        dlclose(handle);
        return NULL;
    }
    const OrtApiBase *b = get_base();
    const OrtApi *api = b ? b->GetApi(api_version) : NULL;
    if (!api) {
        snprintf(err, errlen, "ONNX Runtime %s at %s is too old (API version %u needed)",
                 b && b->GetVersionString ? b->GetVersionString() : "?", path, api_version);
        dlclose(handle);
        return NULL;
    }
    library = handle;
    base = b;
    return api;
}

const char *fm_ort_version(void) { return base ? base->GetVersionString() : NULL; }

int fm_ort_append_cuda(OrtSessionOptions *options, int device_id, OrtStatus **status) {
    if (!library) return -1;
    OrtStatus *(*append)(OrtSessionOptions *, int) =
        (OrtStatus * (*)(OrtSessionOptions *, int)) dlsym(library, "OrtSessionOptionsAppendExecutionProvider_CUDA");
    if (!append) return -1;
    *status = append(options, device_id);
    return 0;
}
