import FaceMirror
import Foundation

/// Deletes half-written outputs when the run is ended by a signal (Ctrl-C, SIGTERM from a scheduler,
/// a closed pipe on stdout, a CPU or file-size limit, …), then exits with 128 + the signal's number.
///
/// The signals are blocked while the handlers are registered, so one that comes in that moment waits
/// and is handled instead of being lost; made first thing in `process`, before any work starts.
/// SIGKILL cannot be caught: what a killed run leaves is hidden temporaries, which the next run into
/// the same folder removes.
final class InterruptCleanup {
    static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGXCPU, SIGXFSZ, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM]
    private var sources: [DispatchSourceSignal] = []

    init() {
        var blocked = sigset_t()
        sigemptyset(&blocked)
        for sig in InterruptCleanup.signals { sigaddset(&blocked, sig) }
        pthread_sigmask(SIG_BLOCK, &blocked, nil)
        let registered = DispatchGroup()
        for sig in InterruptCleanup.signals {
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                OutputFiles.registry.removeAll()
                let name = String(cString: strsignal(sig))
                StandardError.write("\nfacemirror: stopped by \(name.lowercased()); unfinished outputs removed\n")
                // _exit, not exit: the other threads (encoders, jobs, the state database) are still
                // running, and exit's clean-up of libraries under them can crash the process.
                _exit(128 + sig)
            }
            registered.enter()
            source.setRegistrationHandler { registered.leave() }
            source.resume()
            sources.append(source)
        }
        registered.wait()
        pthread_sigmask(SIG_UNBLOCK, &blocked, nil)
    }
}
