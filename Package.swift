// swift-tools-version: 6.0
import PackageDescription

// Layers (dependencies point down only):
//   facemirror (CLI) → FaceMirror (pipeline) → FaceMirrorBindings (Swift over C) → CFFmpeg / CVisionShim (C, C++)
let package = Package(
    name: "facemirror",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "FaceMirror", targets: ["FaceMirror"]),
        .executable(name: "facemirror", targets: ["facemirror"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        // FFmpeg 5.1 (libavformat, libavcodec, libswscale, libavutil) from Debian.
        .systemLibrary(
            name: "CFFmpeg",
            path: "Sources/Bindings/CFFmpeg",
            pkgConfig: "libavformat libavcodec libswscale libavutil",
            providers: [.apt(["libavformat-dev", "libavcodec-dev", "libswscale-dev", "libavutil-dev"])]
        ),
        // One C++ shim with an extern "C" API over OpenCV 4 and dlib. Always -O2: dlib at -O0 is ~100x slower.
        .target(
            name: "CVisionShim",
            path: "Sources/Bindings/CVisionShim",
            cxxSettings: [
                .unsafeFlags(["-O2", "-I/usr/include/opencv4", "-DDLIB_NO_GUI_SUPPORT"]),
            ],
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
        .target(
            name: "FaceMirrorBindings",
            dependencies: ["CFFmpeg", "CVisionShim", "COnnxRuntime"],
            path: "Sources/Bindings/Swift"
        ),
        // ONNX's protobuf schema as Swift, generated once by scripts/generate_onnx_proto.sh (committed).
        .target(
            name: "ONNXProto",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")],
            path: "Sources/ONNXProto"
        ),
        .target(
            name: "FaceMirror",
            dependencies: [
                "FaceMirrorBindings",
                "ONNXProto",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/FaceMirror"
        ),
        .executableTarget(
            name: "facemirror",
            dependencies: [
                "FaceMirror",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/facemirror"
        ),
        .testTarget(
            name: "FaceMirrorTests",
            dependencies: [
                "FaceMirror", "FaceMirrorBindings",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/FaceMirrorTests"
        ),
    ],
    cxxLanguageStandard: .cxx17
)
