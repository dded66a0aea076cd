import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

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

    /// Names a transport error by its type and value, without its details (which could carry a URL).
    static func classify(_ error: any Error) -> Failure {
        switch error {
        case let error as HTTPClientError:
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout, .getConnectionFromPoolTimeout,
                .tlsHandshakeTimeout, .httpProxyHandshakeTimeout, .socksHandshakeTimeout:
                return .timeout
            case .remoteConnectionClosed, .uncleanShutdown:
                return .connection(closedEarly)
            default:
                return .connection("the HTTP client failed (\(error.shortDescription))")
            }
        case let error as NIOConnectionError:
            // Every address was tried: the first attempt's error says why; none tried, the name did not resolve.
            if let attempt = error.connectionErrors.first { return classify(attempt.error) }
            if error.dnsAError != nil || error.dnsAAAAError != nil { return .unresolvable }
            return .connection("the host name has no address to connect to")
        case is SocketAddressError.UnknownHost:
            return .unresolvable
        case let error as IOError:
            return classify(errno: error.errnoCode)
        case let error as ChannelError:
            switch error {
            case .connectTimeout: return .timeout
            case .eof, .ioOnClosedChannel, .alreadyClosed, .outputClosed, .inputClosed: return .connection(closedEarly)
            default: return .connection("the connection failed (\(error))")
            }
        case let error as NIOSSLError:
            switch error {
            case .handshakeFailed(.sslError(let stack)):
                // BoringSSL reports a certificate it did not accept only on its error stack, by reason name.
                return .tls(certificate: stack.contains { "\($0)".contains("CERTIFICATE_VERIFY_FAILED") })
            case .unableToValidateCertificate, .noCertificateToValidate:
                return .tls(certificate: true)
            case .uncleanShutdown:
                return .connection(closedEarly)
            default:
                return .tls(certificate: false)
            }
        case let error as NIOSSLExtraError:
            return .tls(certificate: error == .failedToValidateHostname || error == .serverHostnameImpossibleToMatch)
        case is BoringSSLError:
            return .tls(certificate: false)
        default:
            return .connection("the connection failed (\(type(of: error)))")
        }
    }

    /// Names a socket's `errno`.
    static func classify(errno code: CInt) -> Failure {
        switch code {
        case ECONNREFUSED: .refused
        case ECONNRESET, EPIPE: .connection("the connection was reset")
        case ETIMEDOUT: .timeout
        case ENETUNREACH, EHOSTUNREACH: .connection("the host cannot be reached from this machine")
        default: .connection("the connection failed (\(String(cString: strerror(code))))")
        }
    }

    private static let closedEarly = "the server closed the connection before the response was complete"
}
