import Foundation

/// Progress on stderr: a redrawn bar with FPS and ETA on a terminal, plain lines every few seconds otherwise.
final class ProgressDisplay {
    private let label: String
    private let isTerminal = isatty(STDERR_FILENO) != 0
    private var lastDraw = -Double.infinity
    private var drewBar = false

    private let quiet: Bool

    /// `quiet`: draws nothing.
    init(label: String, quiet: Bool = false) {
        self.label = label
        self.quiet = quiet
    }

    func update(done: Int, expected: Int?, elapsed: Double) {
        if quiet { return }
        let interval = isTerminal ? 0.2 : 5.0
        guard elapsed - lastDraw >= interval else { return }
        lastDraw = elapsed
        let fps = elapsed > 0 ? Double(done) / elapsed : 0
        var text: String
        if let expected, expected > 0 {
            let fraction = min(1, Double(done) / Double(expected))
            let eta = fps > 0 ? Double(max(0, expected - done)) / fps : 0
            let width = 24
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            text = String(format: "%@ [%@] %d/%d frames  %.1f fps  ETA %@", label, bar, done, expected, fps, ProgressDisplay.clock(eta))
        } else {
            text = String(format: "%@ %d frames  %.1f fps", label, done, fps)
        }
        if isTerminal {
            StandardError.write("\r\u{1B}[K" + text)
            drewBar = true
        } else {
            StandardError.write(text + "\n")
        }
    }

    /// Ends the bar's line so that following messages start on their own line.
    func finish() {
        if drewBar { StandardError.write("\r\u{1B}[K") }
        drewBar = false
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
