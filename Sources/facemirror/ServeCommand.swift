import ArgumentParser
import Foundation
import Workspace

/// `facemirror serve`: the local web workspace over study folders.
struct ServeCommand: ReportingCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Open study folders in a local web workspace, in your browser.",
        discussion: """
        Prints an address to open in a browser on this machine. The address carries a secret key: only a browser \
        that opened it is let in. The server listens on this machine only (127.0.0.1) unless --host and \
        --allow-remote say otherwise. Ctrl-C stops it.
        """
    )

    @Argument(help: "Study output folders to serve (the -o of `process`); more can be added from the page.", completion: .directory)
    var studies: [String] = []

    @OptionGroup(title: "Listening")
    var listening: ListeningOptions

    @Flag(name: .shortAndLong, help: "Show each request and other details on stderr.")
    var verbose = false

    func validate() throws {
        try listening.validate()
    }

    func execute() throws {
        let shelf = StudyShelf()
        for path in studies { try shelf.add(path) }
        let settings = WorkspaceSettings(host: listening.host, port: listening.port)
        if !WorkspaceSettings.isLoopback(settings.host) {
            FileHandle.standardError.write(Data("warning: serving on \(settings.host): other machines that reach this address can connect (with the key in the printed address)\n".utf8))
        }
        let server = WorkspaceServer(settings: settings, shelf: shelf, logger: makeLogger(verbose: verbose))
        let outcome = ServeOutcome()
        let done = DispatchSemaphore(value: 0)
        Task {
            do {
                try await server.run { address in
                    // Written at once (a pipe would hold print's buffer): whoever started it reads the address.
                    FileHandle.standardOutput.write(Data("facemirror workspace: open \(address)\n(Ctrl-C stops it)\n".utf8))
                }
            } catch {
                outcome.error = error
            }
            done.signal()
        }
        done.wait()
        if let error = outcome.error { throw error }
    }
}

/// Where the workspace listens.
struct ListeningOptions: ParsableArguments {
    @Option(help: "The port to listen on (0: any free port).")
    var port = 8421

    @Option(help: "The address to listen on. Another than this machine's own (127.0.0.1, ::1) needs --allow-remote.")
    var host = "127.0.0.1"

    @Flag(help: "Let --host be an address other machines can reach.")
    var allowRemote = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0…65535, not \(port)") }
        if !WorkspaceSettings.isLoopback(host) && !allowRemote {
            throw ValidationError("--host \(host) lets other machines connect; add --allow-remote if that is what you want")
        }
    }
}

/// What the server's task ended with, read once it has.
private final class ServeOutcome: @unchecked Sendable {
    var error: Error?
}
