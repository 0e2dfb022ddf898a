import Foundation
import PackagePlugin

/// Writes `BuildVersion.swift` with `git describe` of the package at build time (`unknown` outside a
/// git checkout), so a run's provenance names the code that made it. The file is rewritten only when
/// the description changes, so an unchanged tree does not rebuild.
@main
struct BuildVersion: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let out = context.pluginWorkDirectoryURL.appendingPathComponent("BuildVersion.swift")
        let script = """
            v=$(git -C "$1" describe --tags --always --dirty 2>/dev/null || echo unknown)
            printf '/// `git describe` of the source tree this was built from.\\npublic let facemirrorBuildVersion = "%s"\\n' "$v" > "$2.new"
            if cmp -s "$2.new" "$2"; then rm -f "$2.new"; else mv "$2.new" "$2"; fi
            """
        return [.prebuildCommand(displayName: "facemirror version from git describe", executable: URL(fileURLWithPath: "/bin/sh"),
                                 arguments: ["-c", script, "sh", context.package.directoryURL.path, out.path],
                                 outputFilesDirectory: context.pluginWorkDirectoryURL)]
    }
}
