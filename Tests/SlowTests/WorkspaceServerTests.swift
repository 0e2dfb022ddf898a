import Foundation
import Study
import TestSupport
import XCTest

/// `facemirror serve` as a browser meets it: the real command on a random loopback port, asked with
/// curl (which sends a path exactly as written: `--path-as-is`).
final class WorkspaceServerTests: XCTestCase {
    /// A running `facemirror serve`, stopped with Ctrl-C (SIGINT) when the test ends.
    final class Server {
        let process = Process()
        let address: String
        var base: String { String(address[..<address.range(of: "/?token=")!.lowerBound]) }
        var token: String { String(address[address.range(of: "?token=")!.upperBound...]) }
        var port: String { String(base.split(separator: ":").last!) }

        /// `log`: where its stderr goes (nowhere without).
        init(_ arguments: [String], log: URL? = nil) throws {
            process.executableURL = URL(fileURLWithPath: Fixtures.cli())
            process.arguments = ["serve", "--port", "0"] + arguments
            let out = Pipe()
            process.standardOutput = out
            if let log {
                FileManager.default.createFile(atPath: log.path, contents: nil)
                process.standardError = try FileHandle(forWritingTo: log)
            } else {
                process.standardError = FileHandle.nullDevice
            }
            try process.run()
            // The first line names the address; a server that says nothing within 60 s has failed.
            let reader = out.fileHandleForReading
            let found = Locked<String?>(nil)
            let said = DispatchSemaphore(value: 0)
            DispatchQueue.global().async {
                var text = ""
                while true {
                    let chunk = reader.availableData
                    if chunk.isEmpty { break }
                    text += String(decoding: chunk, as: UTF8.self)
                    if let range = text.range(of: #"http://\S+"#, options: .regularExpression) {
                        found.value = String(text[range])
                        break
                    }
                }
                said.signal()
            }
            guard said.wait(timeout: .now() + 60) == .success, let address = found.value else {
                process.terminate()
                throw NSError(domain: "WorkspaceServerTests", code: 1, userInfo: [NSLocalizedDescriptionKey: "facemirror serve printed no address within 60 s"])
            }
            self.address = address
        }

        /// Ctrl-C: the exit status.
        func stop() -> Int32 {
            kill(process.processIdentifier, SIGINT)
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    final class Locked<T>: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: T
        init(_ value: T) { stored = value }
        var value: T {
            get { lock.lock(); defer { lock.unlock() }; return stored }
            set { lock.lock(); stored = newValue; lock.unlock() }
        }
    }

    struct Answer {
        let status: Int
        let headers: [String: String]
        let body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// One request with curl; `token`: send the session's cookie.
    func get(_ server: Server, _ path: String, token: Bool = true, headers: [String] = [], method: String = "GET", body: String? = nil,
             in dir: URL) throws -> Answer {
        let head = dir.appendingPathComponent("head-\(UUID().uuidString)"), out = dir.appendingPathComponent("body-\(UUID().uuidString)")
        var args = ["-s", "--path-as-is", "-X", method, "-D", head.path, "-o", out.path, "-w", "%{http_code}"]
        if token { args += ["-b", "facemirror_token=\(server.token)"] }
        for h in headers { args += ["-H", h] }
        if let body { args += ["--data-binary", body] }
        let r = try Fixtures.run("/usr/bin/curl", args + [server.base + path])
        var fields: [String: String] = [:]
        for line in (try String(contentsOf: head, encoding: .utf8)).split(separator: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Answer(status: Int(r.stdout) ?? -1, headers: fields, body: (try? Data(contentsOf: out)) ?? Data())
    }

    /// A study of two short clips, one named as a script would be.
    private func study(in dir: URL) throws -> URL {
        let videos = dir.appendingPathComponent("videos"), out = dir.appendingPathComponent("study")
        try FileManager.default.createDirectory(at: videos, withIntermediateDirectories: true)
        _ = try Fixtures.sampleClip(frames: 12, in: videos, name: "patient01.mp4")
        _ = try Fixtures.sampleClip(frames: 12, in: videos, name: "<img src=x onerror=alert(1)>.mp4")
        try Fixtures.run(Fixtures.cli(), ["process", videos.path, "-o", out.path, "--no-debug-video", "-q"])
        return out
    }

    func testTheServerLetsInOnlyItsBrowserAndServesOnlyTheStudysFiles() throws {
        let dir = try Fixtures.scratch(self)
        let out = try study(in: dir)
        let server = try Server([out.path])
        var stopped = false
        addTeardownBlock { if !stopped { _ = server.stop() } }
        XCTAssertTrue(server.base.hasPrefix("http://127.0.0.1:"), server.address)

        // Without the key: 401, for pages and files alike.
        for path in ["/", "/study/1", "/files/1/patient01_report.html", "/static/workspace.js"] {
            XCTAssertEqual(try get(server, path, token: false, in: dir).status, 401, path)
        }
        XCTAssertEqual(try get(server, "/?token=0123", token: false, in: dir).status, 401, "a wrong key")
        // The printed address: a cookie for this site only, and on to the page without the key in it.
        let opened = try get(server, "/?token=\(server.token)", token: false, in: dir)
        XCTAssertEqual(opened.status, 303)
        XCTAssertEqual(opened.headers["location"], "/")
        XCTAssertEqual(opened.headers["set-cookie"], "facemirror_token=\(server.token); Path=/; HttpOnly; SameSite=Strict")
        XCTAssertEqual(try get(server, "/study/1/video?path=a%20b.mp4&token=\(server.token)", token: false, in: dir).headers["location"],
                       "/study/1/video?path=a%20b.mp4", "the rest of the address kept")
        // Another name for this address (a DNS-rebinding page): refused.
        XCTAssertEqual(try get(server, "/", headers: ["Host: attacker.example:\(server.port)"], in: dir).status, 421)
        XCTAssertEqual(try get(server, "/", headers: ["Host: localhost:\(server.port)"], in: dir).status, 200)

        // The pages: the study listed; a video's name shown as text, never as markup.
        let studies = try get(server, "/", in: dir)
        XCTAssertEqual(studies.status, 200)
        XCTAssertTrue(studies.text.contains("<a href=\"/study/1\">study</a>"), studies.text)
        XCTAssertTrue(studies.text.contains("2 videos: queued 0, running 0, done 2"), studies.text)
        let page = try get(server, "/study/1", in: dir)
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(page.text.contains("&lt;img src=x onerror=alert(1)&gt;.mp4"), page.text)
        XCTAssertFalse(page.text.contains("<img src=x"), "never as markup")
        XCTAssertEqual(page.text.components(separatedBy: "<tr data-status=\"done\"").count - 1, 2)
        XCTAssertNotNil(page.headers["content-security-policy"]?.range(of: "default-src 'self'"))
        // No CORS header, even when another origin asks.
        let asked = try get(server, "/study/1", headers: ["Origin: http://attacker.example"], in: dir)
        XCTAssertNil(asked.headers["access-control-allow-origin"])

        // A video's page: the mirrored videos (served from the study), the exam's timeline and the plots
        // on one time axis, the report; named by the study's own row, never by a path of the request's.
        let link = try XCTUnwrap(page.text.firstMatch(of: #/href="(/study/1/video\?path=patient01\.mp4)"/#).map { String($0.1) })
        let videoPage = try get(server, link, in: dir)
        XCTAssertEqual(videoPage.status, 200)
        let sources = videoPage.text.matches(of: #/<video class="synced" src="([^"]+)"/#).map { String($0.1) }
        XCTAssertEqual(sources, ["/files/1/patient01_right_mirrored.mp4", "/files/1/patient01_left_mirrored.mp4"], "no debug video was made")
        for source in sources { XCTAssertEqual(try get(server, source, headers: ["Range: bytes=0-15"], in: dir).status, 206, source) }
        XCTAssertTrue(videoPage.text.contains("<svg id=\"exam-strip\" class=\"exam-strip\" data-t0=\"0.0\""), "the timeline on the plots' axis")
        XCTAssertEqual(videoPage.text.matches(of: #/<svg id="plot-[a-z-]+" class="plot" data-t0=/#).count, 6, "zones, four zones' differences, yaw")
        XCTAssertTrue(videoPage.text.contains("href=\"/files/1/patient01_report.html\""))
        let scripted = try get(server, "/study/1/video?path=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E.mp4", in: dir)
        XCTAssertEqual(scripted.status, 200)
        XCTAssertTrue(scripted.text.contains("<h1>&lt;img src=x onerror=alert(1)&gt;.mp4</h1>"), scripted.text)
        for path in ["/study/1/video?path=../videos/patient01.mp4", "/study/1/video?path=nothing.mp4", "/study/1/video", "/study/9/video?path=patient01.mp4"] {
            XCTAssertEqual(try get(server, path, in: dir).status, 404, path)
        }

        // Files: only under the study folder, whatever the spelling.
        let video = out.appendingPathComponent("patient01_left_mirrored.mp4")
        let whole = try get(server, "/files/1/patient01_left_mirrored.mp4", in: dir)
        XCTAssertEqual(whole.status, 200)
        XCTAssertEqual(whole.headers["content-type"], "video/mp4")
        XCTAssertEqual(whole.body, try Data(contentsOf: video))
        let outside = dir.appendingPathComponent("videos/patient01.mp4").path
        try FileManager.default.createSymbolicLink(atPath: out.appendingPathComponent("linked.mp4").path, withDestinationPath: outside)
        try FileManager.default.createSymbolicLink(atPath: out.appendingPathComponent("up").path, withDestinationPath: dir.path)
        for path in ["/files/1/../videos/patient01.mp4", "/files/1/%2e%2e/videos/patient01.mp4", "/files/1/%2e%2e%2fvideos%2fpatient01.mp4",
                     "/files/1/..%2fvideos/patient01.mp4", "/files/1/%2E%2E/videos/patient01.mp4", "/files/1//etc/passwd",
                     "/files/1/%2fetc%2fpasswd", "/files/1/linked.mp4", "/files/1/up/videos/patient01.mp4", "/files/1/./patient01_landmarks.csv",
                     "/files/2/patient01_landmarks.csv", "/files/1/", "/files/1/nothing.csv"] {
            XCTAssertEqual(try get(server, path, in: dir).status, 404, path)
        }
        XCTAssertEqual(try get(server, "/files/1/patient01_landmarks.csv", in: dir).status, 200, "the same file by its plain name")

        // Ranges: the exact bytes (as cmp compares them), the suffix form, 416 past the end.
        let bytes = try Data(contentsOf: video)
        for (header, expected) in [("bytes=100-1099", 100...1099), ("bytes=-500", (bytes.count - 500)...(bytes.count - 1)),
                                   ("bytes=\(bytes.count - 10)-", (bytes.count - 10)...(bytes.count - 1)),
                                   ("bytes=0-\(bytes.count + 1000)", 0...(bytes.count - 1))] {
            let part = try get(server, "/files/1/patient01_left_mirrored.mp4", headers: ["Range: \(header)"], in: dir)
            XCTAssertEqual(part.status, 206, header)
            XCTAssertEqual(part.headers["content-range"], "bytes \(expected.lowerBound)-\(expected.upperBound)/\(bytes.count)", header)
            let slice = dir.appendingPathComponent("slice"), got = dir.appendingPathComponent("got")
            try bytes.subdata(in: expected.lowerBound..<(expected.upperBound + 1)).write(to: slice)
            try part.body.write(to: got)
            XCTAssertEqual(try Fixtures.run("/usr/bin/cmp", [slice.path, got.path], allowFailure: true).status, 0, header)
        }
        let past = try get(server, "/files/1/patient01_left_mirrored.mp4", headers: ["Range: bytes=\(bytes.count)-"], in: dir)
        XCTAssertEqual(past.status, 416)
        XCTAssertEqual(past.headers["content-range"], "bytes */\(bytes.count)")

        // A state-changing request needs the page's CSRF token.
        let csrf = try XCTUnwrap(page.text.firstMatch(of: #/<meta name="csrf-token" content="([0-9a-f]+)">/#).map { String($0.1) })
        let noToken = try get(server, "/studies", headers: ["Content-Type: application/json"], method: "POST", body: "{\"path\":\"\(out.path)\"}", in: dir)
        XCTAssertEqual(noToken.status, 403)
        let wrong = try get(server, "/studies", headers: ["X-CSRF-Token: \(String(repeating: "0", count: 64))"], method: "POST",
                            body: "{\"path\":\"\(out.path)\"}", in: dir)
        XCTAssertEqual(wrong.status, 403)
        let notAStudy = try get(server, "/studies", headers: ["X-CSRF-Token: \(csrf)"], method: "POST", body: "{\"path\":\"\(dir.path)\"}", in: dir)
        XCTAssertEqual(notAStudy.status, 400)
        XCTAssertTrue(notAStudy.text.contains("not the output folder of a `facemirror process` run"), notAStudy.text)
        let again = try get(server, "/studies", headers: ["X-CSRF-Token: \(csrf)"], method: "POST", body: "{\"path\":\"\(out.path)\"}", in: dir)
        XCTAssertEqual(again.status, 200)
        XCTAssertTrue(again.text.contains("\"location\":\"\\/study\\/1\""), "the same folder is the study it was: \(again.text)")

        // The editor's Save: the coding beside the outputs (never beside the video), the exam made again
        // from the outputs, the state told (a later `process` has nothing to do); a bad coding changes nothing.
        let save = "/study/1/timeline?path=patient01.mp4"
        let bad = try get(server, save, headers: ["X-CSRF-Token: \(csrf)"], method: "POST",
                          body: #"{"segments":[{"action":"BL","start":0,"end":0.2},{"action":"XX","start":0.2,"end":0.35}]}"#, in: dir)
        XCTAssertEqual(bad.status, 422)
        XCTAssertTrue(bad.text.contains("patient01_actions.csv line 3: unknown movement code 'XX'"), bad.text)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("patient01_actions.csv").path))
        let saved = try get(server, save, headers: ["X-CSRF-Token: \(csrf)"], method: "POST",
                            body: #"{"segments":[{"action":"BL","start":0,"end":0.2},{"action":"SS","start":0.2,"end":0.35}]}"#, in: dir)
        XCTAssertEqual(saved.status, 200, saved.text)
        XCTAssertEqual(try String(contentsOf: out.appendingPathComponent("patient01_actions.csv"), encoding: .utf8),
                       "action,start,end\nBL,0.000,0.200\nSS,0.200,0.350\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("videos/patient01_actions.csv").path))
        let redone = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("patient01_exam.json"))) as! [String: Any]
        XCTAssertEqual((redone["timeline"] as! [String: Any])["source"] as? String, "coding file")
        XCTAssertEqual((redone["movements"] as! [[String: Any]]).map { $0["action"] as? String }, ["SS"])
        let shown = try get(server, link, in: dir)
        XCTAssertTrue(shown.text.contains("Timeline: the coding "), "the page shows the exam made again")
        let rerun = try Fixtures.run(Fixtures.cli(), ["process", dir.appendingPathComponent("videos").path, "-o", out.path, "--no-debug-video"])
        XCTAssertTrue(rerun.stdout.contains("2 videos: 0 done, 0 failed, 2 skipped"), rerun.stdout)
        XCTAssertFalse(rerun.stdout.contains("again, only the exam"), rerun.stdout)

        // Ctrl-C stops it, as it stops `process`.
        stopped = true
        XCTAssertEqual(server.stop(), 0)
    }

    /// Waits up to `limit` seconds for `condition`; a wait that runs out fails the test.
    private func waitFor(_ what: String, limit: TimeInterval = 180, _ condition: () throws -> Bool) throws {
        let end = Date().addingTimeInterval(limit)
        while Date() < end {
            if try condition() { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw WaitRanOut(what: what, seconds: limit)
    }

    /// A wait that ran out: the test fails with it.
    struct WaitRanOut: Error, CustomStringConvertible {
        let what: String
        let seconds: TimeInterval
        var description: String { "waited \(Int(seconds)) s for \(what)" }
    }

    /// The events a listener has received so far, each event's JSON.
    private func events(_ file: URL) -> [[String: Any]] {
        let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").filter { $0.hasPrefix("data: ") }.compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.dropFirst(6).utf8)) as? [String: Any]
        }
    }

    /// A curl started in the background (the caller waits for it or ends it).
    private func curl(_ arguments: [String], output: URL) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        p.arguments = arguments + ["-o", output.path]
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    private func temporaries(in dir: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasPrefix(".fm-") }
    }

    /// Run from the study page: the study's recorded command runs the ticked videos; its progress arrives
    /// as Server-Sent Events while it runs; two Runs at once start one; Stop and Ctrl-C end a running
    /// video unfinished (temporaries removed, queued again); a listener that goes away is dropped.
    func testRunFromTheStudyPageStreamsItsProgressAndStops() throws {
        let dir = try Fixtures.scratch(self)
        let videos = dir.appendingPathComponent("videos"), out = dir.appendingPathComponent("study")
        try FileManager.default.createDirectory(at: videos, withIntermediateDirectories: true)
        _ = try Fixtures.sampleClip(frames: 12, in: videos, name: "first.mp4")
        try Fixtures.run(Fixtures.cli(), ["process", videos.path, "-o", out.path, "--no-debug-video", "-q"])
        // Two videos the study has not done, pending as a run that has just begun leaves them.
        let second = try Fixtures.sampleClip(frames: 150, in: videos, name: "second.mp4")
        let third = try Fixtures.sampleClip(frames: 450, in: videos, name: "third.mp4", fast: true)
        let state = try StudyState(file: out.appendingPathComponent(StudyState.fileName(shard: nil)))
        try state.register([StudyInput(path: second, relativeDirectory: ""), StudyInput(path: third, relativeDirectory: "")])
        func status(_ key: String) throws -> VideoRecord { try XCTUnwrap(state.record(key)) }

        let log = dir.appendingPathComponent("serve.log")
        let server = try Server([out.path, "-v"], log: log)
        var stopped = false
        defer { if !stopped { _ = server.stop() } }
        let page = try get(server, "/study/1", in: dir)
        let csrf = try XCTUnwrap(page.text.firstMatch(of: #/<meta name="csrf-token" content="([0-9a-f]+)">/#).map { String($0.1) })
        XCTAssertTrue(page.text.contains("<code>facemirror process \(videos.path) -o \(out.path) --no-debug-video -q</code>"), "the page names the command Run repeats")
        XCTAssertTrue(page.text.contains(#"<tr data-status="queued" data-path="second.mp4"><td><input type="checkbox" class="pick" value="second.mp4""#))
        let cookie = ["-s", "-b", "facemirror_token=\(server.token)"]
        let post = cookie + ["-X", "POST", "-H", "X-CSRF-Token: \(csrf)", "--data-binary"]

        // A page listening from before the run.
        let stream = dir.appendingPathComponent("events.txt")
        let listener = try curl(cookie + ["-N", server.base + "/study/1/events"], output: stream)
        try waitFor("the first event", limit: 30) { !events(stream).isEmpty }

        // Two Runs of the same video at once: one run.
        let answers = (0..<2).map { dir.appendingPathComponent("run-\($0).json") }
        let runs = try answers.map { try curl(post + [#"{"videos":["second.mp4"],"jobs":1}"#, server.base + "/study/1/run"], output: $0) }
        runs.forEach { $0.waitUntilExit() }
        let said = try answers.map { try JSONSerialization.jsonObject(with: Data(contentsOf: $0)) as! [String: Any] }
        XCTAssertEqual(Set(said.map { $0["run"] as? Int }), [1], "both answered with the same run: \(said)")
        XCTAssertEqual(said.filter { $0["started"] as? Bool == true }.count, 1, "\(said)")
        try waitFor("run 1 to end") { events(stream).contains { $0["run"] as? Int == 1 && $0["phase"] as? String == "ended" } }

        // Its progress arrived while it ran: the running video's frames, moving.
        let seen = events(stream)
        let frames = seen.compactMap { ($0["videos"] as? [String])?.first }.compactMap { line -> Int? in
            guard let m = line.firstMatch(of: #/^second\.mp4: (\d+)/150 frames$/#) else { return nil }
            return Int(m.1)
        }
        XCTAssertGreaterThanOrEqual(Set(frames.filter { $0 > 0 && $0 < 150 }).count, 2, "frames part-way, at least twice: \(frames)")
        XCTAssertEqual(frames, frames.sorted(), "frames only go forward")
        let last = try XCTUnwrap(seen.last)
        XCTAssertTrue((last["batch"] as? String ?? "").hasPrefix("batch: 1/1 videos (1 done, 0 failed), "), "\(last)")
        XCTAssertEqual((last["statuses"] as? [String: String])?["second.mp4"], "done")
        XCTAssertEqual(try status("second.mp4").status, .done)
        XCTAssertEqual(try status("second.mp4").attempts, 1, "processed once")
        XCTAssertEqual(try status("third.mp4").status, .queued, "not ticked: not run")
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("second_report.html").path))

        // Stop: the running video ends unfinished, its temporaries removed, and waits for the next run.
        let started = try get(server, "/study/1/run", headers: ["X-CSRF-Token: \(csrf)"], method: "POST", body: #"{"videos":["third.mp4"]}"#, in: dir)
        XCTAssertEqual(started.status, 202, started.text)
        try waitFor("third.mp4 to be part-way") {
            events(stream).contains { ($0["videos"] as? [String])?.first?.firstMatch(of: #/^third\.mp4: [1-9]\d*/450 frames$/#) != nil }
        }
        let stop = try get(server, "/study/1/stop", headers: ["X-CSRF-Token: \(csrf)"], method: "POST", body: "{}", in: dir)
        XCTAssertEqual(stop.text, #"{"stopping":true}"#)
        try waitFor("run 2 to end") { events(stream).contains { $0["run"] as? Int == 2 && $0["phase"] as? String == "ended" } }
        let ended = try XCTUnwrap(events(stream).last)
        XCTAssertTrue((ended["outcomes"] as? [String] ?? []).contains { $0.hasPrefix("third.mp4: stopped;") }, "\(ended)")
        XCTAssertEqual(try status("third.mp4").status, .queued)
        XCTAssertEqual(temporaries(in: out), [])
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("third_landmarks.csv").path))
        XCTAssertEqual(try get(server, "/study/1/stop", headers: ["X-CSRF-Token: \(csrf)"], method: "POST", body: "{}", in: dir).text,
                       #"{"stopping":false}"#, "nothing left to stop")

        // A page that goes away mid-stream is dropped.
        listener.terminate()
        listener.waitUntilExit()
        try waitFor("the server to drop the listener", limit: 40) {
            (try String(contentsOf: log, encoding: .utf8)).contains("study 1: a page stopped listening (0 listening)")
        }

        // Ctrl-C while a Run works: the video ends unfinished, as `process` ends; a rerun does what is left.
        XCTAssertEqual(try get(server, "/study/1/run", headers: ["X-CSRF-Token: \(csrf)"], method: "POST", body: #"{"videos":["third.mp4"]}"#, in: dir).status, 202)
        try waitFor("third.mp4 to be written") { try status("third.mp4").status == .running && !temporaries(in: out).isEmpty }
        stopped = true
        XCTAssertEqual(server.stop(), 0)
        XCTAssertEqual(try status("third.mp4").status, .queued)
        XCTAssertEqual(temporaries(in: out), [])
        XCTAssertTrue((try String(contentsOf: log, encoding: .utf8)).contains("facemirror: stopping (running videos end after their frame)"))
        let rerun = try Fixtures.run(Fixtures.cli(), ["process", videos.path, "-o", out.path, "--no-debug-video"])
        XCTAssertTrue(rerun.stdout.contains("3 videos: 1 done, 0 failed, 2 skipped"), rerun.stdout)
    }

    func testRemoteAddressesNeedToBeAskedFor() throws {
        let r = try Fixtures.run(Fixtures.cli(), ["serve", "--host", "0.0.0.0"], allowFailure: true)
        XCTAssertEqual(r.status, 64)
        XCTAssertTrue(r.stderr.contains("--host 0.0.0.0 lets other machines connect; add --allow-remote"), r.stderr)
        let missing = try Fixtures.run(Fixtures.cli(), ["serve", "/nonexistent/study", "--port", "0"], allowFailure: true)
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("/nonexistent/study"), missing.stderr)
    }
}
