import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore

/// Who may talk to the workspace, checked before any page or file: the `Host` header must name the
/// listening address (a DNS-rebinding page's does not); the request must carry the printed address's
/// token, as that address (`?token=`, which sets the cookie and sends the browser on without it) or as
/// the cookie; a POST must carry the CSRF token its page was given. No CORS header is ever sent, and
/// every answer forbids other origins' scripts and requests.
struct AccessGuard<Context: RequestContext>: RouterMiddleware {
    static var cookie: String { "facemirror_token" }
    static var csrfHeader: HTTPField.Name { HTTPField.Name("X-CSRF-Token")! }

    let settings: WorkspaceSettings
    let listening: ListeningPort

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let host = (request.head.authority ?? "").lowercased()
        guard settings.allowedHosts(port: listening.port).contains(host) else {
            return WorkspaceResponse.text(.misdirectedRequest, "This workspace answers only at the address facemirror serve printed.")
        }
        if let given = request.uri.queryParameters["token"].map(String.init) {
            guard AccessGuard.same(given, settings.token) else { return refused() }
            // The token leaves the address bar (and the history) for a cookie only this site sends.
            var headers = HTTPFields()
            headers[.location] = AccessGuard.withoutToken(request.uri)
            headers[.setCookie] = "\(AccessGuard.cookie)=\(settings.token); Path=/; HttpOnly; SameSite=Strict"
            headers[.cacheControl] = "no-store"
            return Response(status: .seeOther, headers: headers)
        }
        guard let held = request.cookies[AccessGuard.cookie]?.value, AccessGuard.same(String(held), settings.token) else { return refused() }
        if request.method != .get && request.method != .head {
            guard let csrf = request.headers[AccessGuard.csrfHeader], AccessGuard.same(csrf, settings.csrfToken) else {
                return WorkspaceResponse.text(.forbidden, "This request did not come from a workspace page (no CSRF token).")
            }
        }
        var response = try await next(request, context)
        if response.headers[.contentSecurityPolicy] == nil {
            // The pages load only what this server serves: nothing leaves the machine.
            response.headers[.contentSecurityPolicy] = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'; form-action 'self'"
        }
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        return response
    }

    /// The address asked for, less its `token` (the rest of its query kept as it came).
    static func withoutToken(_ uri: URI) -> String {
        let rest = (uri.query ?? "").split(separator: "&").filter { !$0.hasPrefix("token=") }
        return (uri.path.isEmpty ? "/" : uri.path) + (rest.isEmpty ? "" : "?" + rest.joined(separator: "&"))
    }

    private func refused() -> Response {
        WorkspaceResponse.text(.unauthorized, "Open the address that facemirror serve printed (it carries this session's key).")
    }

    /// Compares two secrets in time that does not depend on where they differ.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// The port the server listens on, known once it is bound (port 0 asks the system for a free one).
final class ListeningPort: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    var port: Int {
        get { lock.lock(); defer { lock.unlock() }; return value }
        set { lock.lock(); value = newValue; lock.unlock() }
    }
}
