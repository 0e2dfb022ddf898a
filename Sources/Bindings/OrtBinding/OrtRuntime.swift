import COnnxRuntime
import FaceMirrorCore
import Foundation

/// The loaded ONNX Runtime library and its environment, one per process.
///
/// The library is looked up in this order: `FACEMIRROR_ORT_LIB`; the project-local copy that
/// `scripts/env/setup.sh` installs (`.ort/lib` in a folder above the running executable); then the
/// system's and Homebrew's usual places.
public final class OrtRuntime: @unchecked Sendable {
    /// The API version whose table prefix COnnxRuntime declares.
    static let apiVersion: UInt32 = 17

    let api: UnsafePointer<OrtApi>
    let env: OpaquePointer
    let memoryInfo: OpaquePointer
    let allocator: OpaquePointer
    public let libraryPath: String
    public let version: String

    private static let lock = NSLock()
    nonisolated(unsafe) private static var loaded: Result<OrtRuntime, OrtError>?

    /// The process's runtime, loaded on first use.
    public static func shared() throws -> OrtRuntime {
        lock.lock(); defer { lock.unlock() }
        if let loaded { return try loaded.get() }
        let result = Result { try OrtRuntime(candidates: candidatePaths()) }.mapError { $0 as? OrtError ?? OrtError.runtime(context: "ONNX Runtime", message: "\($0)") }
        loaded = result
        return try result.get()
    }

    /// Where the library is looked for, in order.
    public static func candidatePaths(environment: [String: String] = ProcessInfo.processInfo.environment,
                                      executable: String = CommandLine.arguments.first ?? "") -> [String] {
        if let explicit = environment["FACEMIRROR_ORT_LIB"], !explicit.isEmpty { return [explicit] }
        var paths: [String] = []
        let fm = FileManager.default
        let exe = URL(fileURLWithPath: executable).resolvingSymlinksInPath()
        var dir = exe.deletingLastPathComponent()
        for _ in 0..<6 {
            for name in ["libonnxruntime.so", "libonnxruntime.dylib"] {
                let p = dir.appendingPathComponent(".ort/lib/\(name)").path
                if fm.fileExists(atPath: p) { paths.append(p) }
            }
            dir = dir.deletingLastPathComponent()
        }
        // The working directory's copy (running `swift run` or tests from the repository).
        let cwd = URL(fileURLWithPath: fm.currentDirectoryPath).appendingPathComponent(".ort/lib/libonnxruntime.so").path
        if fm.fileExists(atPath: cwd) && !paths.contains(cwd) { paths.append(cwd) }
        paths += ["libonnxruntime.so.1", "libonnxruntime.so", "/usr/local/lib/libonnxruntime.so", "/usr/lib/libonnxruntime.so",
                  "/opt/homebrew/lib/libonnxruntime.dylib", "/usr/local/lib/libonnxruntime.dylib", "libonnxruntime.dylib"]
        return paths
    }

    private init(candidates: [String]) throws {
        var tried: [String] = []
        var found: (UnsafePointer<OrtApi>, String)?
        for path in candidates {
            var message = [CChar](repeating: 0, count: 512)
            if let api = fm_ort_load(path, OrtRuntime.apiVersion, &message, message.count) {
                found = (api, path)
                break
            }
            tried.append("\(path) (\(String(nulTerminated: message)))")
        }
        guard let (api, path) = found else {
            throw OrtError.libraryNotFound(tried: tried)
        }
        self.api = api
        libraryPath = path
        version = fm_ort_version().map { String(cString: $0) } ?? "?"
        var env: OpaquePointer?
        try check(api, api.pointee.CreateEnv(ORT_LOGGING_LEVEL_ERROR, "facemirror", &env), "ONNX Runtime environment")
        self.env = env!
        var info: OpaquePointer?
        try check(api, api.pointee.CreateCpuMemoryInfo(OrtArenaAllocator, OrtMemTypeDefault, &info), "CPU memory info")
        memoryInfo = info!
        var alloc: OpaquePointer?
        try check(api, api.pointee.GetAllocatorWithDefaultOptions(&alloc), "default allocator")
        allocator = alloc!
    }

    /// Execution providers compiled into this build (e.g. "CPUExecutionProvider").
    public func availableProviders() throws -> [String] {
        var list: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
        var count: Int32 = 0
        try check(api, api.pointee.GetAvailableProviders(&list, &count), "available providers")
        defer { _ = api.pointee.ReleaseAvailableProviders(list, count) }
        return (0..<Int(count)).compactMap { list?[$0].map { String(cString: $0) } }
    }

    /// A string ORT allocated, copied and freed.
    func take(_ p: UnsafeMutablePointer<CChar>?) -> String {
        guard let p else { return "" }
        defer { _ = api.pointee.AllocatorFree(allocator, p) }
        return String(cString: p)
    }
}
