import ArgumentParser
import FaceMirror
import FaceMirrorCore
import Foundation
import Logging
import ModelStore
import Study
import Workspace

/// `facemirror serve`: the local web workspace over study folders.
struct ServeCommand: ReportingCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Open study folders in a local web workspace, in your browser.",
        discussion: """
        Prints an address to open in a browser on this machine. The address carries a secret key: only a browser \
        that opened it is let in. The server listens on this machine only (127.0.0.1) unless --host and \
        --allow-remote say otherwise. A study's Run repeats the `process` command it was last run with (kept \
        in its state), with the jobs chosen on the page. Ctrl-C stops the server; videos a Run is processing \
        end unfinished, their partial outputs removed, and wait for the next run (a second Ctrl-C stops at once).
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
            StandardError.write("warning: serving on \(settings.host): other machines that reach this address can connect (with the key in the printed address)\n")
        }
        let logger = makeLogger(verbose: verbose)
        let runs = StudyRuns(prepare: ServeCommand.prepare, logger: logger)
        let server = WorkspaceServer(settings: settings, shelf: shelf, runs: runs, logger: logger)
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
        let signals = ServeSignals { first in
            guard first else {
                // A second signal: at once, as `process` stops.
                OutputFiles.registry.removeAll()
                StandardError.write("\nfacemirror: stopped at once; unfinished outputs removed\n")
                _exit(130)
            }
            StandardError.write("\nfacemirror: stopping (running videos end after their frame)…\n")
            let stopped = DispatchSemaphore(value: 0)
            Task {
                await server.shutdown()
                stopped.signal()
            }
            stopped.wait()
        }
        done.wait()
        withExtendedLifetime(signals) {}
        if let error = outcome.error { throw error }
    }

    /// The study's recorded command parsed as `process` parses it, run into the served folder with the
    /// page's jobs and videos: the same run plan and study batch as `process` makes.
    @Sendable static func prepare(_ order: RunOrder, logger: Logger) throws -> PreparedRun {
        var command: ProcessCommand
        do {
            command = try ProcessCommand.parse(order.command.arguments)
            command.io.output = order.outputDirectory.path
            if let jobs = order.jobs { command.study.jobs = jobs }
            try command.validate()
        } catch {
            throw WorkspaceError(path: order.outputDirectory.path,
                                 reason: "its command cannot be run again: " + ProcessCommand.message(for: error).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let plan = try RunPlan(try command.request(), store: ModelStore(directory: ModelStore.defaultDirectory()))
        let batch = try StudyBatch(paths: command.io.paths, glob: command.io.glob, shard: command.study.shard,
                                   outputDirectory: plan.options.outputDirectory, only: order.videos, logger: logger)
        let processors = batch.hasWork ? try plan.makeProcessors(logger: logger) : []
        return PreparedRun(batch: batch, processors: processors, options: plan.options, staleAfter: command.study.staleAfter,
                           writeReport: !command.io.noReport, notes: plan.notes)
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

/// Ctrl-C and SIGTERM for the server: the first stops the Runs and then the server, a second stops at once.
private final class ServeSignals {
    private var sources: [DispatchSourceSignal] = []
    private let lock = NSLock()
    private var seen = 0

    init(_ handle: @escaping @Sendable (_ first: Bool) -> Void) {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [unowned self] in
                lock.lock(); seen += 1; let first = seen == 1; lock.unlock()
                if first { DispatchQueue.global().async { handle(true) } } else { handle(false) }
            }
            source.resume()
            sources.append(source)
        }
    }
}
