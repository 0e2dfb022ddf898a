import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Streams a URL into a file, resuming from the bytes already there (HTTP Range). HTTPS only,
/// except plain HTTP to the loopback address (for tests).
enum Downloader {
    static func download(_ urlString: String, to file: URL, progress: ((Int64, Int64?) -> Void)?) throws {
        guard let url = URL(string: urlString), let scheme = url.scheme?.lowercased() else {
            throw StoreError.notAURL(urlString)
        }
        let loopback = ["127.0.0.1", "localhost", "::1", "[::1]"].contains(url.host ?? "")
        guard scheme == "https" || (scheme == "http" && loopback) else {
            throw StoreError.insecureURL(urlString)
        }
        if !FileManager.default.fileExists(atPath: file.path), !FileManager.default.createFile(atPath: file.path, contents: nil) {
            throw StoreError.cannotWrite(path: file.path, reason: "cannot create the download file")
        }
        let have = (try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber)?.int64Value ?? 0
        var request = URLRequest(url: url, timeoutInterval: 60)
        if have > 0 { request.setValue("bytes=\(have)-", forHTTPHeaderField: "Range") }
        let task = StreamingTask(file: file, resumeFrom: have, progress: progress)
        let session = URLSession(configuration: .ephemeral, delegate: task, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        session.dataTask(with: request).resume()
        task.done.wait()
        if let error = task.error { throw error }
    }
}

/// URLSession delegate writing the body to the file as it arrives.
private final class StreamingTask: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    let done = DispatchSemaphore(value: 0)
    var error: Error?
    private let file: URL
    private let resumeFrom: Int64
    private let progress: ((Int64, Int64?) -> Void)?
    private var handle: FileHandle?
    private var written: Int64 = 0
    private var total: Int64?
    /// False until the server answered: an error before that means it was never reached.
    private var answered = false

    init(file: URL, resumeFrom: Int64, progress: ((Int64, Int64?) -> Void)?) {
        self.file = file
        self.resumeFrom = resumeFrom
        self.progress = progress
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        answered = true
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        do {
            let h = try FileHandle(forWritingTo: file)
            if status == 206 {
                try h.seekToEnd()
                written = resumeFrom
            } else if status == 200 {
                try h.truncate(atOffset: 0)  // the server ignored the Range: start again
                written = 0
            } else {
                throw StoreError.httpStatus(url: response.url?.absoluteString ?? "", status: status)
            }
            handle = h
            let expected = response.expectedContentLength
            total = expected > 0 ? expected + written : nil
            completionHandler(.allow)
        } catch {
            self.error = error
            completionHandler(.cancel)
        }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        do {
            try handle?.write(contentsOf: data)
            written += Int64(data.count)
            progress?(written, total)
        } catch {
            self.error = error
            dataTask.cancel()
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        try? handle?.close()
        if self.error == nil, let error, !answered {
            self.error = StoreError.unreachable(url: task.originalRequest?.url?.absoluteString ?? "", reason: error.localizedDescription)
        } else if self.error == nil, let error {
            self.error = StoreError.interrupted(url: task.originalRequest?.url?.absoluteString ?? "", bytes: written, of: total,
                                                reason: error.localizedDescription)
        } else if self.error == nil, let total, written < total {
            self.error = StoreError.interrupted(url: task.originalRequest?.url?.absoluteString ?? "", bytes: written, of: total, reason: nil)
        }
        done.signal()
    }
}
