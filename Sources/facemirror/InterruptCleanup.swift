import FaceMirror
import Foundation

/// Deletes half-written outputs when the run is interrupted (Ctrl-C, SIGTERM), then exits.
final class InterruptCleanup {
    private var sources: [DispatchSourceSignal] = []

    init() {
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                OutputFiles.registry.removeAll()
                FileHandle.standardError.write(Data("\nfacemirror: interrupted; unfinished outputs removed\n".utf8))
                exit(128 + sig)
            }
            source.resume()
            sources.append(source)
        }
    }
}
