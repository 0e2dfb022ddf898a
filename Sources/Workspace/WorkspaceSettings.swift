import Foundation

/// How `facemirror serve` listens and whom it lets in.
public struct WorkspaceSettings: Sendable {
    public var host: String
    /// 0: a free port the system picks.
    public var port: Int
    /// The secret in the printed address: a browser that opened it holds it as a cookie; every other
    /// request is refused (401).
    public let token: String
    /// The server's token for state-changing requests: its pages send it with each POST.
    public let csrfToken: String

    public init(host: String = "127.0.0.1", port: Int = 0) {
        self.host = host
        self.port = port
        token = WorkspaceSettings.randomToken()
        csrfToken = WorkspaceSettings.randomToken()
    }

    /// 32 random bytes as hex, from the system's generator.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// Whether only this machine can reach `host`.
    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// The `Host` headers a request may carry: the listening address and, on loopback, `localhost`
    /// (another name, bound to an attacker's address, is a DNS-rebinding page: refused).
    func allowedHosts(port: Int) -> Set<String> {
        var names = [host]
        if WorkspaceSettings.isLoopback(host) { names += ["127.0.0.1", "localhost", "[::1]"] }
        return Set(names.map { ($0.contains(":") && !$0.hasPrefix("[") ? "[\($0)]" : $0).lowercased() + ":\(port)" })
    }
}
