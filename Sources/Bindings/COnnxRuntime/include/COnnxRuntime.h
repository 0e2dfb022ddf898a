// The part of ONNX Runtime's C API that facemirror uses, declared here because no reachable
// package ships ORT's headers. `OrtApi` is a table of function pointers that only ever grows at
// its end, so this prefix (slots 0–216, ORT ≥ 1.17) works with newer runtimes. Slots facemirror
// does not call are placeholders; the zero-based slot numbers follow onnxruntime_c_api.h and are
// checked by the asserts in ort_loader.c. The library itself is opened at run time (dlopen).
#ifndef CONNXRUNTIME_H
#define CONNXRUNTIME_H
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct OrtStatus OrtStatus;
typedef struct OrtEnv OrtEnv;
typedef struct OrtSession OrtSession;
typedef struct OrtSessionOptions OrtSessionOptions;
typedef struct OrtValue OrtValue;
typedef struct OrtMemoryInfo OrtMemoryInfo;
typedef struct OrtTypeInfo OrtTypeInfo;
typedef struct OrtTensorTypeAndShapeInfo OrtTensorTypeAndShapeInfo;
typedef struct OrtAllocator OrtAllocator;

typedef enum OrtLoggingLevel {
    ORT_LOGGING_LEVEL_VERBOSE = 0, ORT_LOGGING_LEVEL_INFO, ORT_LOGGING_LEVEL_WARNING, ORT_LOGGING_LEVEL_ERROR,
    ORT_LOGGING_LEVEL_FATAL
} OrtLoggingLevel;

typedef enum OrtErrorCode {
    ORT_OK = 0, ORT_FAIL, ORT_INVALID_ARGUMENT, ORT_NO_SUCHFILE, ORT_NO_MODEL, ORT_ENGINE_ERROR,
    ORT_RUNTIME_EXCEPTION, ORT_INVALID_PROTOBUF, ORT_MODEL_LOADED, ORT_NOT_IMPLEMENTED, ORT_INVALID_GRAPH, ORT_EP_FAIL
} OrtErrorCode;

typedef enum ONNXTensorElementDataType {
    ONNX_TENSOR_ELEMENT_DATA_TYPE_UNDEFINED = 0, ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT = 1,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8 = 2, ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8 = 3,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT16 = 4, ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16 = 5,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 = 6, ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 = 7,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING = 8, ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL = 9,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16 = 10, ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE = 11
} ONNXTensorElementDataType;

typedef enum GraphOptimizationLevel {
    ORT_DISABLE_ALL = 0, ORT_ENABLE_BASIC = 1, ORT_ENABLE_EXTENDED = 2, ORT_ENABLE_ALL = 99
} GraphOptimizationLevel;

typedef enum OrtAllocatorType { OrtInvalidAllocator = -1, OrtDeviceAllocator = 0, OrtArenaAllocator = 1 } OrtAllocatorType;
typedef enum OrtMemType { OrtMemTypeCPUInput = -2, OrtMemTypeCPUOutput = -1, OrtMemTypeDefault = 0 } OrtMemType;

typedef void (*OrtLoggingFunction)(void *param, OrtLoggingLevel severity, const char *category, const char *logid,
                                   const char *code_location, const char *message);

typedef struct OrtApi {
    void *unused_0;
    OrtErrorCode (*GetErrorCode)(const OrtStatus *status); /* 1 */
    const char *(*GetErrorMessage)(const OrtStatus *status); /* 2 */
    OrtStatus *(*CreateEnv)(OrtLoggingLevel level, const char *logid, OrtEnv **out); /* 3 */
    OrtStatus *(*CreateEnvWithCustomLogger)(OrtLoggingFunction fn, void *param, OrtLoggingLevel level, const char *logid, OrtEnv **out); /* 4 */
    void *unused_5;
    void *unused_6;
    OrtStatus *(*CreateSession)(const OrtEnv *env, const char *model_path, const OrtSessionOptions *options, OrtSession **out); /* 7 */
    OrtStatus *(*CreateSessionFromArray)(const OrtEnv *env, const void *data, size_t length, const OrtSessionOptions *options, OrtSession **out); /* 8 */
    OrtStatus *(*Run)(OrtSession *session, const void *run_options, const char *const *input_names, const OrtValue *const *inputs, size_t input_len, const char *const *output_names, size_t output_len, OrtValue **outputs); /* 9 */
    OrtStatus *(*CreateSessionOptions)(OrtSessionOptions **out); /* 10 */
    OrtStatus *(*SetOptimizedModelFilePath)(OrtSessionOptions *options, const char *path); /* 11 */
    void *unused_12;
    void *unused_13;
    OrtStatus *(*EnableProfiling)(OrtSessionOptions *options, const char *prefix); /* 14 */
    void *unused_15;
    void *unused_16;
    void *unused_17;
    void *unused_18;
    void *unused_19;
    void *unused_20;
    void *unused_21;
    OrtStatus *(*SetSessionLogSeverityLevel)(OrtSessionOptions *options, int level); /* 22 */
    OrtStatus *(*SetSessionGraphOptimizationLevel)(OrtSessionOptions *options, GraphOptimizationLevel level); /* 23 */
    OrtStatus *(*SetIntraOpNumThreads)(OrtSessionOptions *options, int threads); /* 24 */
    OrtStatus *(*SetInterOpNumThreads)(OrtSessionOptions *options, int threads); /* 25 */
    void *unused_26;
    void *unused_27;
    void *unused_28;
    void *unused_29;
    OrtStatus *(*SessionGetInputCount)(const OrtSession *session, size_t *out); /* 30 */
    OrtStatus *(*SessionGetOutputCount)(const OrtSession *session, size_t *out); /* 31 */
    void *unused_32;
    OrtStatus *(*SessionGetInputTypeInfo)(const OrtSession *session, size_t index, OrtTypeInfo **out); /* 33 */
    OrtStatus *(*SessionGetOutputTypeInfo)(const OrtSession *session, size_t index, OrtTypeInfo **out); /* 34 */
    void *unused_35;
    OrtStatus *(*SessionGetInputName)(const OrtSession *session, size_t index, OrtAllocator *allocator, char **out); /* 36 */
    OrtStatus *(*SessionGetOutputName)(const OrtSession *session, size_t index, OrtAllocator *allocator, char **out); /* 37 */
    void *unused_38;
    void *unused_39;
    void *unused_40;
    void *unused_41;
    void *unused_42;
    void *unused_43;
    void *unused_44;
    void *unused_45;
    void *unused_46;
    void *unused_47;
    void *unused_48;
    OrtStatus *(*CreateTensorWithDataAsOrtValue)(const OrtMemoryInfo *info, void *data, size_t data_len, const int64_t *shape, size_t shape_len, ONNXTensorElementDataType type, OrtValue **out); /* 49 */
    void *unused_50;
    OrtStatus *(*GetTensorMutableData)(OrtValue *value, void **out); /* 51 */
    void *unused_52;
    void *unused_53;
    void *unused_54;
    OrtStatus *(*CastTypeInfoToTensorInfo)(const OrtTypeInfo *info, const OrtTensorTypeAndShapeInfo **out); /* 55 */
    void *unused_56;
    void *unused_57;
    void *unused_58;
    void *unused_59;
    OrtStatus *(*GetTensorElementType)(const OrtTensorTypeAndShapeInfo *info, ONNXTensorElementDataType *out); /* 60 */
    OrtStatus *(*GetDimensionsCount)(const OrtTensorTypeAndShapeInfo *info, size_t *out); /* 61 */
    OrtStatus *(*GetDimensions)(const OrtTensorTypeAndShapeInfo *info, int64_t *values, size_t count); /* 62 */
    OrtStatus *(*GetSymbolicDimensions)(const OrtTensorTypeAndShapeInfo *info, const char **names, size_t count); /* 63 */
    OrtStatus *(*GetTensorShapeElementCount)(const OrtTensorTypeAndShapeInfo *info, size_t *out); /* 64 */
    OrtStatus *(*GetTensorTypeAndShape)(const OrtValue *value, OrtTensorTypeAndShapeInfo **out); /* 65 */
    void *unused_66;
    void *unused_67;
    void *unused_68;
    OrtStatus *(*CreateCpuMemoryInfo)(OrtAllocatorType type, OrtMemType mem_type, OrtMemoryInfo **out); /* 69 */
    void *unused_70;
    void *unused_71;
    void *unused_72;
    void *unused_73;
    void *unused_74;
    void *unused_75;
    OrtStatus *(*AllocatorFree)(OrtAllocator *allocator, void *p); /* 76 */
    void *unused_77;
    OrtStatus *(*GetAllocatorWithDefaultOptions)(OrtAllocator **out); /* 78 */
    void *unused_79;
    void *unused_80;
    void *unused_81;
    void *unused_82;
    void *unused_83;
    void *unused_84;
    void *unused_85;
    void *unused_86;
    void *unused_87;
    void *unused_88;
    void *unused_89;
    void *unused_90;
    void *unused_91;
    void (*ReleaseEnv)(OrtEnv *p); /* 92 */
    void (*ReleaseStatus)(OrtStatus *p); /* 93 */
    void (*ReleaseMemoryInfo)(OrtMemoryInfo *p); /* 94 */
    void (*ReleaseSession)(OrtSession *p); /* 95 */
    void (*ReleaseValue)(OrtValue *p); /* 96 */
    void *unused_97;
    void (*ReleaseTypeInfo)(OrtTypeInfo *p); /* 98 */
    void (*ReleaseTensorTypeAndShapeInfo)(OrtTensorTypeAndShapeInfo *p); /* 99 */
    void (*ReleaseSessionOptions)(OrtSessionOptions *p); /* 100 */
    void *unused_101;
    void *unused_102;
    void *unused_103;
    void *unused_104;
    void *unused_105;
    void *unused_106;
    void *unused_107;
    void *unused_108;
    void *unused_109;
    OrtStatus *(*SessionEndProfiling)(OrtSession *session, OrtAllocator *allocator, char **out); /* 110 */
    void *unused_111;
    void *unused_112;
    void *unused_113;
    void *unused_114;
    void *unused_115;
    void *unused_116;
    void *unused_117;
    void *unused_118;
    void *unused_119;
    void *unused_120;
    void *unused_121;
    void *unused_122;
    void *unused_123;
    void *unused_124;
    OrtStatus *(*GetAvailableProviders)(char ***out, int *count); /* 125 */
    OrtStatus *(*ReleaseAvailableProviders)(char **providers, int count); /* 126 */
    void *unused_127;
    void *unused_128;
    void *unused_129;
    OrtStatus *(*AddSessionConfigEntry)(OrtSessionOptions *options, const char *key, const char *value); /* 130 */
    void *unused_131;
    void *unused_132;
    void *unused_133;
    void *unused_134;
    void *unused_135;
    void *unused_136;
    void *unused_137;
    void *unused_138;
    void *unused_139;
    void *unused_140;
    void *unused_141;
    void *unused_142;
    void *unused_143;
    void *unused_144;
    void *unused_145;
    void *unused_146;
    void *unused_147;
    void *unused_148;
    void *unused_149;
    void *unused_150;
    void *unused_151;
    void *unused_152;
    void *unused_153;
    void *unused_154;
    void *unused_155;
    void *unused_156;
    void *unused_157;
    void *unused_158;
    void *unused_159;
    void *unused_160;
    void *unused_161;
    void *unused_162;
    void *unused_163;
    void *unused_164;
    void *unused_165;
    void *unused_166;
    void *unused_167;
    void *unused_168;
    void *unused_169;
    void *unused_170;
    void *unused_171;
    void *unused_172;
    void *unused_173;
    void *unused_174;
    void *unused_175;
    void *unused_176;
    void *unused_177;
    void *unused_178;
    void *unused_179;
    void *unused_180;
    void *unused_181;
    void *unused_182;
    void *unused_183;
    void *unused_184;
    void *unused_185;
    void *unused_186;
    void *unused_187;
    void *unused_188;
    void *unused_189;
    void *unused_190;
    void *unused_191;
    void *unused_192;
    void *unused_193;
    void *unused_194;
    void *unused_195;
    void *unused_196;
    void *unused_197;
    void *unused_198;
    void *unused_199;
    void *unused_200;
    void *unused_201;
    void *unused_202;
    void *unused_203;
    void *unused_204;
    void *unused_205;
    void *unused_206;
    void *unused_207;
    void *unused_208;
    void *unused_209;
    void *unused_210;
    void *unused_211;
    void *unused_212;
    void *unused_213;
    void *unused_214;
    void *unused_215;
    OrtStatus *(*SessionOptionsAppendExecutionProvider)(OrtSessionOptions *options, const char *provider, const char *const *keys, const char *const *values, size_t count); /* 216 */
} OrtApi;

/// Opens the ONNX Runtime library at `path` and returns its API table (version `api_version` or
/// newer), or NULL with a message in `err`. The library stays loaded for the life of the process.
const OrtApi *fm_ort_load(const char *path, uint32_t api_version, char *err, size_t errlen);

/// The loaded runtime's version string ("1.32.0"), or NULL before fm_ort_load succeeded.
const char *fm_ort_version(void);

/// Appends the CUDA provider through the function CUDA builds of ORT export. Returns 0 and sets
/// *status (NULL on success) when the function exists, -1 when this build has no CUDA.
int fm_ort_append_cuda(OrtSessionOptions *options, int device_id, OrtStatus **status);

#ifdef __cplusplus
}
#endif
#endif
