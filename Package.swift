// swift-tools-version: 6.0
import PackageDescription

// Debug builds compile the C++ shim at -O2 (dlib at -O0 is ~100x slower) when FACEMIRROR_DEBUG_O2=1,
// as `make test` and `make demo` set it. It is an unsafe flag, which a package used as a dependency may
// not carry, so it is off unless asked for; release builds are optimised either way.
let shimFlags: [CXXSetting] = Context.environment["FACEMIRROR_DEBUG_O2"] == "1" ? [.unsafeFlags(["-O2"], .when(configuration: .debug))] : []

// Layers; a module imports only the modules listed after its arrow. LayoutTests checks these arrows
// against the targets' dependencies below, both ways (what each line says is what the target has).
//
//   facemirror         → Workspace, FaceMirror, Study, ModelStore, ModelToolchain, FaceModels, FaceMirrorCore, MediaBinding, OrtBinding, ArgumentParser, Logging
//   Workspace          → Study, FaceMirror, FaceMirrorCore, Hummingbird, HummingbirdCore, ServiceLifecycle, Logging
//   Study              → FaceMirror, FaceMirrorCore, FileDigest, GRDB, Logging
//   ModelToolchain     → FaceModels, FaceMirrorCore, OrtBinding, MediaBinding, VisionBinding, ONNXProto, SwiftProtobuf
//   FaceMirror         → FaceModels, ModelStore, FaceMirrorCore, MediaBinding, VisionBinding, OrtBinding, FileDigest, Logging
//   ModelStore         → FaceMirrorCore, FileDigest
//   FaceModels         → FaceMirrorCore, OrtBinding, VisionBinding
//   FileDigest         → FaceMirrorCore, Crypto
//   MediaBinding       → CFFmpeg, FaceMirrorCore
//   VisionBinding      → CVisionShim, FaceMirrorCore
//   CVisionShim        → COpenCV
//   OrtBinding         → COnnxRuntime, FaceMirrorCore
//   ONNXProto          → SwiftProtobuf
//   FaceMirrorCore     → nothing
//
// What each holds: facemirror is the command line; Workspace the local web workspace (`facemirror
// serve`: pages, files, the same run plan as the command line); Study a study's videos, the batch, its state in
// SQLite, reports; ModelToolchain analyze/optimize/coverage/bench/validate (the only user of ONNX's
// schema); FaceMirror the per-video pipeline and the run plan (+ the BuildVersion plugin); ModelStore
// the user's model folder (no ONNX Runtime); FaceModels each network's input and output as its
// reference runs it, OpenFace 2's AU models, loading a model file; FileDigest SHA-256 of files;
// the bindings FFmpeg, OpenCV + dlib (one extern "C" C++ shim) and ONNX Runtime (dlopen), nothing
// above them sees a C pointer; FaceMirrorCore the value types every layer shares; ONNXProto ONNX's
// schema, generated and committed. CFFmpeg, COpenCV and COnnxRuntime are C.
/// What both test groups import.
let testDependencies: [Target.Dependency] = [
    "TestSupport", "FaceMirror", "FaceModels", "FaceMirrorCore", "MediaBinding", "VisionBinding", "OrtBinding", "ModelStore", "ModelToolchain",
    "FileDigest", "Study",
    .product(name: "Logging", package: "swift-log"),
    .product(name: "GRDB", package: "GRDB.swift"),
]

let package = Package(
    name: "facemirror",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "FaceMirror", targets: ["FaceMirror"]),
        .library(name: "FaceModels", targets: ["FaceModels"]),
        .library(name: "ModelStore", targets: ["ModelStore"]),
        .library(name: "ModelToolchain", targets: ["ModelToolchain"]),
        .executable(name: "facemirror", targets: ["facemirror"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // FFmpeg 5.1 (libavformat, libavcodec, libswscale, libavutil) from Debian.
        .systemLibrary(
            name: "CFFmpeg",
            path: "Sources/Bindings/CFFmpeg",
            pkgConfig: "libavformat libavcodec libavfilter libswscale libswresample libavutil",
            providers: [.apt(["libavformat-dev", "libavcodec-dev", "libavfilter-dev", "libswscale-dev", "libswresample-dev", "libavutil-dev"])]
        ),
        // OpenCV 4 through pkg-config (Debian: /usr/include/opencv4; Homebrew: its own prefix).
        .systemLibrary(
            name: "COpenCV",
            path: "Sources/Bindings/COpenCV",
            pkgConfig: "opencv4",
            providers: [.apt(["libopencv-dev"]), .brew(["opencv"])]
        ),
        // One C++ shim with an extern "C" API over OpenCV 4 and dlib.
        .target(
            name: "CVisionShim",
            dependencies: ["COpenCV"],
            path: "Sources/Bindings/CVisionShim",
            cxxSettings: [.define("DLIB_NO_GUI_SUPPORT")] + shimFlags,
            linkerSettings: [
                .linkedLibrary("opencv_core"),
                .linkedLibrary("opencv_imgproc"),
                .linkedLibrary("opencv_imgcodecs"),
                .linkedLibrary("dlib"),
                .linkedLibrary("blas"),
                .linkedLibrary("lapack"),
            ]
        ),
        // ONNX Runtime's C API table, the library opened at run time with dlopen.
        .target(
            name: "COnnxRuntime",
            path: "Sources/Bindings/COnnxRuntime",
            linkerSettings: [.linkedLibrary("dl")]
        ),
        .target(name: "FaceMirrorCore", path: "Sources/FaceMirrorCore"),
        .target(name: "MediaBinding", dependencies: ["CFFmpeg", "FaceMirrorCore"], path: "Sources/Bindings/MediaBinding"),
        .target(name: "VisionBinding", dependencies: ["CVisionShim", "FaceMirrorCore"], path: "Sources/Bindings/VisionBinding"),
        .target(name: "OrtBinding", dependencies: ["COnnxRuntime", "FaceMirrorCore"], path: "Sources/Bindings/OrtBinding"),
        // ONNX's protobuf schema as Swift, generated once by scripts/dev/generate_onnx_proto.sh (committed).
        .target(
            name: "ONNXProto",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")],
            path: "Sources/ONNXProto"
        ),
        .target(
            name: "FaceModels",
            dependencies: ["FaceMirrorCore", "OrtBinding", "VisionBinding"],
            path: "Sources/FaceModels"
        ),
        .target(
            name: "FaceMirror",
            dependencies: [
                "FaceModels", "ModelStore", "FaceMirrorCore", "MediaBinding", "VisionBinding", "OrtBinding", "FileDigest",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/FaceMirror",
            plugins: ["BuildVersion"]
        ),
        // `git describe` at build time, for provenance records.
        .plugin(name: "BuildVersion", capability: .buildTool(), path: "Plugins/BuildVersion"),
        .target(
            name: "FileDigest",
            dependencies: ["FaceMirrorCore", .product(name: "Crypto", package: "swift-crypto")],
            path: "Sources/FileDigest"
        ),
        .target(
            name: "Study",
            dependencies: ["FaceMirror", "FaceMirrorCore", "FileDigest", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log")],
            path: "Sources/Study"
        ),
        .target(
            name: "ModelStore",
            dependencies: ["FaceMirrorCore", "FileDigest"],
            path: "Sources/ModelStore"
        ),
        .target(
            name: "ModelToolchain",
            dependencies: [
                "FaceModels", "FaceMirrorCore", "OrtBinding", "MediaBinding", "VisionBinding", "ONNXProto",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            path: "Sources/ModelToolchain"
        ),
        .target(
            name: "Workspace",
            dependencies: ["Study", "FaceMirror", "FaceMirrorCore", .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "HummingbirdCore", package: "hummingbird"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"), .product(name: "Logging", package: "swift-log")],
            path: "Sources/Workspace"
        ),
        .executableTarget(
            name: "facemirror",
            dependencies: [
                "Workspace", "FaceMirror", "Study", "ModelStore", "ModelToolchain", "FaceModels", "FaceMirrorCore", "MediaBinding", "OrtBinding",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/facemirror"
        ),
        // Tests: helpers both groups share (fixtures, test-built ONNX models, .npy reader), the fast group
        // (no video encoding, no real model optimised or run at size: `swift test --filter FaceMirrorFastTests`)
        // and the slow group (real clips through the pipeline, the replicas run, optimised and quantised).
        .target(
            name: "TestSupport",
            dependencies: [
                "FaceMirror", "FaceModels", "FaceMirrorCore", "MediaBinding", "VisionBinding", "OrtBinding", "ModelToolchain", "ONNXProto",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/TestSupport"
        ),
        .testTarget(
            name: "FaceMirrorFastTests",
            dependencies: testDependencies,
            path: "Tests/FastTests"
        ),
        .testTarget(
            name: "FaceMirrorSlowTests",
            dependencies: testDependencies,
            path: "Tests/SlowTests"
        ),
    ],
    cxxLanguageStandard: .cxx17
)
