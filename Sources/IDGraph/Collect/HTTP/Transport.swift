import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Sends one request of a source over the run's shared `HTTPClient`: counts
/// it in `source_runs`, journals it (`request_journal`: path without secret
/// query parameters, status, size and SHA-256 of the body), reports it to
/// `--verbose`, and reads the body with a size cap. It never retries;
/// ``APIClient`` decides that.
struct Transport: Sendable {
    /// The run's one HTTP client.
    var http: HTTPClient
    /// The source's counts and progress.
    var sink: SourceSink
    /// The longest one request may take.
    var timeoutSeconds: Double
    /// The largest body read.
    var maxBodyBytes: Int

    /// A response whose body has been read whole.
    struct Response: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: Data
        /// Its number in the source run's request journal.
        var entry: Int
    }

    /// Why a request got no complete response.
    enum Failure: Error, Sendable, Hashable {
        /// Nothing accepts connections at the host and port.
        case refused
        /// The host name does not resolve.
        case unresolvable
        /// The TLS handshake failed; `certificate` when the server's certificate was not accepted.
        case tls(certificate: Bool)
        /// The connection broke (reset, closed early); the text says which.
        case connection(String)
        /// No complete response within the timeout.
        case timeout
        /// The body is larger than the cap.
        case bodyTooLarge(Int)

        /// Words for a message.
        var reason: String {
            switch self {
            case .refused: "the connection was refused"
            case .unresolvable: "the host name could not be resolved"
            case .tls(let certificate):
                certificate ? "the server's TLS certificate was not accepted" : "the TLS handshake failed"
            case .connection(let what): what
            case .timeout: "the request timed out"
            case .bodyTooLarge(let cap): "the response is larger than \(cap >> 20) MiB"
            }
        }
    }

    /// Sends `request`; `path` is its URL path without the query, for progress. The body of a response
    /// that holds a credential (`bodyHoldsCredential`: an OAuth token response) is not hashed.
    func send(_ request: HTTPClientRequest, path: String, bodyHoldsCredential: Bool = false) async throws -> Response {
        let started = ContinuousClock.now
        let method = request.method.rawValue
        let entry = await sink.sending(method: method, path: RequestJournal.path(of: request.url), at: Date())
        func elapsed() -> Int { Int((ContinuousClock.now - started).seconds * 1000) }
        func unanswered() async {
            let milliseconds = elapsed()
            await sink.answered(entry, status: 0, milliseconds: milliseconds)
            sink.progress.report(
                .request(source: sink.source.name, method: method, path: path, status: 0, milliseconds: milliseconds))
        }
        do {
            // The timeout bounds the whole response, body included: a server that sends one byte a
            // second never resets it, as it would a timeout between reads.
            let (response, body) = try await Self.within(seconds: timeoutSeconds) { [http, maxBodyBytes, timeoutSeconds] in
                let response = try await http.execute(request, timeout: .milliseconds(Int64(timeoutSeconds * 1000)))
                return (response, try await Self.read(response, upTo: maxBodyBytes))
            }
            let milliseconds = elapsed()
            let status = Int(response.status.code)
            await sink.answered(
                entry, status: status, bytes: body.count,
                sha256: bodyHoldsCredential ? nil : RequestJournal.sha256(body), milliseconds: milliseconds)
            sink.progress.report(
                .request(source: sink.source.name, method: method, path: path, status: status, milliseconds: milliseconds))
            return Response(status: status, headers: response.headers, body: body, entry: entry)
        } catch let failure as Failure {
            await unanswered()
            throw failure
        } catch is CancellationError {
            await unanswered()
            throw CancellationError()
        } catch {
            let failure = Self.classify(error)
            await unanswered()
            throw failure
        }
    }

    /// Runs `work`, failing with ``Failure/timeout`` (and cancelling it) once `seconds` have passed.
    static func within<Value: Sendable>(
        seconds: Double, _ work: @escaping @Sendable () async throws -> Value
    ) async throws -> Value {
        try await withThrowingTaskGroup(of: Value?.self) { group in
            group.addTask { try await work() }
            group.addTask {
                try await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else { throw Failure.timeout }
            return value
        }
    }

    /// The body of `response`, at most `cap` bytes. The parts are copied into
    /// one `Data` as they arrive (sized by `Content-Length` when the server
    /// sends it), so a large page is held once, not as a collected buffer and
    /// a copy of it.
    private static func read(_ response: HTTPClientResponse, upTo cap: Int) async throws -> Data {
        var body = Data()
        if let length = response.headers.first(name: "Content-Length").flatMap({ Int($0) }), length <= cap {
            body.reserveCapacity(length)
        }
        for try await part in response.body {
            guard body.count + part.readableBytes <= cap else { throw Failure.bodyTooLarge(cap) }
            part.withUnsafeReadableBytes { body.append($0.assumingMemoryBound(to: UInt8.self)) }
        }
        return body
    }

    /// Names a transport error without its details (which could carry a URL).
    static func classify(_ error: any Error) -> Failure {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout, .getConnectionFromPoolTimeout:
                return .timeout
            case .remoteConnectionClosed:
                return .connection("the server closed the connection before the response was complete")
            default:
                break
            }
        }
        let text = String(describing: error).lowercased()
        let typeName = String(reflecting: type(of: error)).lowercased()
        // NIO's resolver fails with "DNS error: UnknownHost(…)"; NIOSSL's errors name BoringSSL's.
        if text.contains("dns error") || text.contains("unknownhost") { return .unresolvable }
        if typeName.contains("ssl") || text.contains("handshake") {
            return .tls(certificate: text.contains("certificate"))
        }
        if text.contains("refused") { return .refused }
        if text.contains("reset") { return .connection("the connection was reset") }
        if text.contains("timeout") || text.contains("timed out") { return .timeout }
        if text.contains("eof") || text.contains("closed") {
            return .connection("the server closed the connection before the response was complete")
        }
        return .connection("the connection failed (\(type(of: error)))")
    }
}
