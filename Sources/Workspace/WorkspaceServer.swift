import FaceMirrorCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Study

/// `facemirror serve`: a local web server (Hummingbird on SwiftNIO) over study folders. It serves its
/// own pages, style and script, and the files under the served folders; it listens on loopback
/// unless told otherwise, and lets in only the browser that opened the printed address
/// (`AccessGuard`). Ctrl-C (or SIGTERM) stops it.
public struct WorkspaceServer: Sendable {
    public let settings: WorkspaceSettings
    public let shelf: StudyShelf
    /// The Runs started from the study pages.
    public let runs: StudyRuns
    let logger: Logger
    private let group = RunningGroup()

    public init(settings: WorkspaceSettings, shelf: StudyShelf, runs: StudyRuns, logger: Logger) {
        self.settings = settings
        self.shelf = shelf
        self.runs = runs
        self.logger = logger
    }

    /// Serves until `shutdown` (the caller handles the signals); `listening` is told the address to open
    /// (with its token) once bound.
    public func run(listening: @escaping @Sendable (String) -> Void) async throws {
        let port = ListeningPort()
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: AccessGuard(settings: settings, listening: port))
        addRoutes(router)
        let settings = self.settings
        let app = Application(router: router, configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: nil),
                              onServerRunning: { channel in
                                  port.port = channel.localAddress?.port ?? settings.port
                                  let host = settings.host.contains(":") ? "[\(settings.host)]" : settings.host
                                  listening("http://\(host):\(port.port)/?token=\(settings.token)")
                              }, logger: logger)
        let services = ServiceGroup(configuration: .init(services: [app], logger: logger))
        group.set(services)
        try await services.run()
    }

    /// Stops every Run (their videos end unfinished and wait for the next run) and ends the pages'
    /// event streams, then lets the server finish the requests in hand and return from `run`.
    public func shutdown() async {
        // The wait for the Runs' threads blocks: on a thread of its own, not one of the tasks' pool.
        let runs = self.runs
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                runs.shutdown()
                done.resume()
            }
        }
        await group.get()?.triggerGracefulShutdown()
    }

    private func addRoutes(_ router: Router<BasicRequestContext>) {
        let settings = self.settings, shelf = self.shelf
        router.get("/") { _, _ in WorkspaceResponse.html(WorkspacePages.studies(shelf, settings: settings)) }
        router.post("/studies") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 16)
            let fields = (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any]
            guard let path = fields?["path"] as? String else { return WorkspaceResponse.json(["error": "no folder given"], status: .badRequest) }
            do {
                let entry = try shelf.add(path)
                return WorkspaceResponse.json(["location": "/study/\(entry.id)"])
            } catch {
                return WorkspaceResponse.json(["error": ErrorText.describe(error)], status: .badRequest)
            }
        }
        router.get("/study/:id") { _, context -> Response in
            guard let id = context.parameters.get("id", as: Int.self), let entry = shelf.entry(id) else { return WorkspaceResponse.notFound() }
            do {
                return WorkspaceResponse.html(try WorkspacePages.study(entry, settings: settings))
            } catch {
                return WorkspaceResponse.text(.internalServerError, ErrorText.describe(error))
            }
        }
        router.get("/study/:id/video") { request, context -> Response in
            guard let id = context.parameters.get("id", as: Int.self), let entry = shelf.entry(id),
                  let video = request.uri.queryParameters["path"].map(String.init) else { return WorkspaceResponse.notFound() }
            do {
                guard let page = try VideoPage.html(entry, video: video, settings: settings) else { return WorkspaceResponse.notFound() }
                return WorkspaceResponse.html(page)
            } catch {
                return WorkspaceResponse.text(.internalServerError, ErrorText.describe(error))
            }
        }
        // The editor's timeline: saved as the video's coding, its exam made again from the outputs.
        router.post("/study/:id/timeline") { request, context -> Response in
            guard let id = context.parameters.get("id", as: Int.self), let entry = shelf.entry(id),
                  let video = request.uri.queryParameters["path"].map(String.init) else { return WorkspaceResponse.notFound() }
            let body = try await request.body.collect(upTo: 1 << 20)
            guard let fields = (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any],
                  let segments = fields["segments"] as? [[String: Any]] else {
                return WorkspaceResponse.json(["error": "expected {\"segments\": [{\"action\", \"start\", \"end\"}, …]}"], status: .badRequest)
            }
            var csv = "action,start,end\n"
            for segment in segments {
                guard let action = segment["action"] as? String, let start = segment["start"] as? Double, let end = segment["end"] as? Double,
                      !action.contains(","), !action.contains("\n") else {
                    return WorkspaceResponse.json(["error": "each segment needs an action code, a start and an end (seconds)"], status: .badRequest)
                }
                csv += "\(action),\(String(format: "%.3f", start)),\(String(format: "%.3f", end))\n"
            }
            let logger = self.logger
            do {
                let folder = try StudyFolder(directory: entry.directory)
                guard let record = try folder.records().first(where: { $0.path == video }) else { return WorkspaceResponse.notFound() }
                let exam = try ExamRevision.save(csv, video: record, in: folder, logger: logger)
                return WorkspaceResponse.json(["movements": exam.movements.count, "reason": exam.noMovement ?? ""])
            } catch {
                return WorkspaceResponse.json(["error": ErrorText.describe(error)], status: .unprocessableContent)
            }
        }
        addRunRoutes(router)
        router.get("/static/workspace.css") { _, _ in WorkspaceServer.asset(WorkspaceAssets.css, type: "text/css; charset=utf-8") }
        router.get("/static/workspace.js") { _, _ in WorkspaceServer.asset(WorkspaceAssets.js, type: "text/javascript; charset=utf-8") }
        // The path after the study's number is read from the request as sent (not as the router splits
        // it), so that `..` and its encodings are judged by `ServedFile` alone.
        router.get("/files/**") { request, context -> Response in
            let path = request.uri.path.dropFirst("/files/".count)
            guard let slash = path.firstIndex(of: "/"), let id = Int(path[..<slash]), let entry = shelf.entry(id),
                  let file = ServedFile(encodedName: path[path.index(after: slash)...], in: entry) else { return WorkspaceResponse.notFound() }
            return try await WorkspaceServer.serve(file, request: request, context: context)
        }
    }

    /// Run and Stop from the study page, and the study's progress as Server-Sent Events.
    private func addRunRoutes(_ router: Router<BasicRequestContext>) {
        let shelf = self.shelf, runs = self.runs
        router.post("/study/:id/run") { request, context -> Response in
            guard let id = context.parameters.get("id", as: Int.self), let entry = shelf.entry(id) else { return WorkspaceResponse.notFound() }
            let body = try await request.body.collect(upTo: 1 << 20)
            let fields = (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
            let jobs = fields["jobs"] as? Int
            if let jobs, !(1...WorkLimits.maxJobs).contains(jobs) {
                return WorkspaceResponse.json(["error": "jobs must be 1…\(WorkLimits.maxJobs)"], status: .unprocessableContent)
            }
            let videos = (fields["videos"] as? [String]).flatMap { $0.isEmpty ? nil : Set($0) }
            do {
                guard let command = try StudyFolder(directory: entry.directory).command() else {
                    return WorkspaceResponse.json(["error": WorkspacePages.noCommand], status: .conflict)
                }
                let order = RunOrder(command: command, outputDirectory: entry.directory, jobs: jobs, videos: videos)
                switch try runs.start(study: id, order: order) {
                case .started(let run): return WorkspaceResponse.json(["run": run, "started": true], status: .accepted)
                case .alreadyRunning(let run): return WorkspaceResponse.json(["run": run, "started": false])
                }
            } catch {
                return WorkspaceResponse.json(["error": ErrorText.describe(error)], status: .serviceUnavailable)
            }
        }
        router.post("/study/:id/stop") { _, context -> Response in
            guard let id = context.parameters.get("id", as: Int.self), shelf.entry(id) != nil else { return WorkspaceResponse.notFound() }
            return WorkspaceResponse.json(["stopping": runs.stop(study: id)])
        }
        // One event per change of the study's Run (progress at most four a second), and the state again
        // every 15 s; a closed page ends its stream at the next write.
        router.get("/study/:id/events") { _, context -> Response in
            guard let id = context.parameters.get("id", as: Int.self), shelf.entry(id) != nil else { return WorkspaceResponse.notFound() }
            guard let stream = runs.listen(study: id) else { return Response(status: .noContent) }
            var headers = HTTPFields()
            headers[.contentType] = "text/event-stream"
            headers[.cacheControl] = "no-store"
            return Response(status: .ok, headers: headers, body: ResponseBody { writer in
                for await message in stream { try await writer.write(ByteBuffer(string: message)) }
                try await writer.finish(nil)
            })
        }
    }

    static func asset(_ text: String, type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// A file, whole or the one byte range asked for (206; 416 past its end), streamed from disk.
    /// Files of the study folder open sandboxed: a report's script runs, but as no origin of this
    /// server's (it cannot call the workspace).
    static func serve(_ file: ServedFile, request: Request, context: BasicRequestContext) async throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = file.contentType
        headers[.acceptRanges] = "bytes"
        headers[.cacheControl] = "no-cache"
        headers[.contentSecurityPolicy] = "sandbox allow-scripts; default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'; media-src 'self'"
        let range = request.headers[.range].map { ByteRange(header: $0, size: file.size) } ?? .ignored
        let io = FileIO()
        switch range {
        case .unsatisfiable:
            headers[.contentRange] = "bytes */\(file.size)"
            return Response(status: .rangeNotSatisfiable, headers: headers)
        case .satisfiable(let bytes):
            headers[.contentRange] = "bytes \(bytes.lowerBound)-\(bytes.upperBound)/\(file.size)"
            headers[.contentLength] = String(bytes.count)
            let body = try await io.loadFile(path: file.path, range: bytes, context: context)
            return Response(status: .partialContent, headers: headers, body: body)
        case .ignored:
            headers[.contentLength] = String(file.size)
            if file.size == 0 { return Response(status: .ok, headers: headers) }
            return Response(status: .ok, headers: headers, body: try await io.loadFile(path: file.path, context: context))
        }
    }
}

/// The server's service group once `run` has made it, for `shutdown`.
private final class RunningGroup: @unchecked Sendable {
    private let lock = NSLock()
    private var group: ServiceGroup?

    func set(_ group: ServiceGroup) { lock.lock(); self.group = group; lock.unlock() }
    func get() -> ServiceGroup? { lock.lock(); defer { lock.unlock() }; return group }
}
