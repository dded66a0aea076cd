import AsyncHTTPClient
import Foundation
import NIOHTTP1

/// The HTTP client of one SaaS source: GET requests with the source's
/// credentials, paced by its rate limit, retried on transient faults, and
/// failing with a ``CollectionError`` that names the source, the URL path
/// (never the query) and what to do.
///
/// Written once for every source; a collector only names endpoints.
struct APIClient: Sendable {
    /// A response whose body has been read (as JSON, or as a caller's `reading` reads it).
    struct Response<Body: Sendable>: Sendable {
        /// The body as read.
        var body: Body
        /// The headers (paging totals, `Link`).
        var headers: HTTPHeaders
        /// The response's number in the source run's request journal: a listing's page records its
        /// record count there.
        var entry: Int
    }

    let source: SourceConfiguration
    let sink: SourceSink
    let transport: Transport
    let credentials: Credentials
    let limiter: RateLimiter
    let gate: RequestGate
    let policy: RetryPolicy
    /// Headers every request of the source carries (Procore's company id).
    let fixedHeaders: [(String, String)]
    private let base: String
    /// `scheme://host:port` of the base URL: the only origin a followed link may point at.
    private let origin: String

    /// Creates the client of `source` over the run's `http` client.
    init(source: SourceConfiguration, sink: SourceSink, http: HTTPClient, policy: RetryPolicy, headers: [(String, String)] = [])
        throws
    {
        guard let baseURL = source.baseURL else {
            throw CollectionError(source: source.name, message: "The source has no 'base_url'. Add it to the configuration.")
        }
        self.source = source
        self.sink = sink
        self.policy = policy
        self.fixedHeaders = headers
        self.limiter = RateLimiter()
        self.gate = RequestGate(permits: source.maxConcurrency)
        let transport = Transport(
            http: http, sink: sink, timeoutSeconds: source.requestTimeoutSeconds, maxBodyBytes: policy.maxBodyBytes)
        self.transport = transport
        (self.base, self.origin) = Self.baseAndOrigin(baseURL)
        self.credentials = try Credentials(source: source, transport: transport, policy: policy)
    }

    private init(copying other: APIClient, base: URL, headers: [(String, String)]) {
        source = other.source
        sink = other.sink
        transport = other.transport
        credentials = other.credentials
        limiter = other.limiter
        gate = other.gate
        policy = other.policy
        fixedHeaders = other.fixedHeaders + headers
        (self.base, self.origin) = Self.baseAndOrigin(base)
    }

    /// The same client (credentials, rate limit, concurrency) for another root
    /// of the same source, such as Process Street's SCIM API, with `headers` added.
    func rebased(to url: URL, adding headers: [(String, String)] = []) -> APIClient {
        APIClient(copying: self, base: url, headers: headers)
    }

    private static func baseAndOrigin(_ url: URL) -> (String, String) {
        var base = url.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        return (base, origin(of: url) ?? base)
    }

    /// `host:port` of `url`, for messages about a connection (never a path, query or credential).
    static func hostAndPort(_ url: String) -> String {
        guard let url = URL(string: url), let host = url.host else { return "the host" }
        let port = url.port ?? (url.scheme?.lowercased() == "https" ? 443 : 80)
        return "\(host):\(port)"
    }

    private static func origin(of url: URL) -> String? {
        guard let scheme = url.scheme?.lowercased(), let host = url.host?.lowercased() else { return nil }
        let port = url.port ?? (scheme == "https" ? 443 : 80)
        return "\(scheme)://\(host):\(port)"
    }

    /// The URL path of endpoint `path`, without host or query: what messages show.
    func displayPath(_ path: String) -> String {
        (URL(string: base + path)?.path).flatMap { $0.isEmpty ? nil : $0 } ?? path
    }

    /// GETs an absolute URL that the API itself gave (a `next` link), after
    /// checking that it points at the source's own origin: credentials are
    /// never sent to another host.
    func get<Body: Sendable>(
        link: String, of path: String, reading read: @Sendable (Data) throws -> Body
    ) async throws -> Response<Body> {
        let shown = displayPath(path)
        guard let url = URL(string: link), Self.origin(of: url) == origin else {
            throw CollectionError(
                source: source.name, location: shown,
                message: "The API's link to the next page points at another host (\(URL(string: link)?.host ?? "an unreadable URL")), and idgraph sends the source's credentials only to its own base_url. Check base_url: it should be the host the API itself names.")
        }
        return try await get(url: link, shown: shown, reading: read)
    }

    /// GETs `path` (relative to the base URL) with `query`, waiting for the
    /// rate limit and retrying transient faults; throws a ``CollectionError``
    /// when the source cannot be read.
    func get(_ path: String, query: [(String, String)] = []) async throws -> Response<JSONValue> {
        try await get(path, query: query, reading: JSONValue.parse)
    }

    /// GETs `path` like ``get(_:query:)``, reading a successful body with
    /// `read`; a body that `read` rejects (a truncated or garbled page) is
    /// fetched again.
    func get<Body: Sendable>(
        _ path: String, query: [(String, String)] = [], reading read: @Sendable (Data) throws -> Body
    ) async throws -> Response<Body> {
        let url =
            base + path
            + (query.isEmpty
                ? "" : (path.contains("?") ? "&" : "?")
                    + query.map { "\(PathComponent.escape($0.0))=\(PathComponent.escape($0.1))" }.joined(separator: "&"))
        return try await get(url: url, shown: displayPath(path), reading: read)
    }

    /// GETs `url`, waiting for the rate limit and retrying transient faults.
    private func get<Body: Sendable>(
        url: String, shown: String, reading read: @Sendable (Data) throws -> Body
    ) async throws -> Response<Body> {
        func failure(_ message: String) -> CollectionError {
            CollectionError(source: source.name, location: shown, message: message)
        }
        func failure(_ message: String, _ cause: CollectionError.Cause) -> CollectionError {
            var error = failure(message)
            error.cause = cause
            if case .status(let status) = cause { error.httpStatus = status }
            return error
        }
        var attempt = 1
        var rejections = 0
        var refused: [Secret] = []

        func retry(_ reason: String, advice: String, cause: CollectionError.Cause?, retryAfter: Double? = nil) async throws {
            guard attempt < policy.maxAttempts else {
                let message = "\(reason); gave up after \(attempt) attempts. \(advice)"
                throw cause.map { failure(message, $0) } ?? failure(message)
            }
            if let retryAfter, retryAfter > source.maxWaitSeconds { throw waitTooLong(retryAfter, failure: failure) }
            attempt += 1
            await sink.countRetry()
            sink.progress.report(.retrying(source: source.name, path: shown, attempt: attempt, reason: reason))
            // A 503's Retry-After is honoured; otherwise capped exponential backoff.
            let delay = max(retryAfter ?? 0, policy.delay(beforeRetry: attempt - 1))
            try await Task.sleep(for: .milliseconds(Int64(delay * 1000)))
        }

        while true {
            try Task.checkCancellation()
            let response: Transport.Response
            let secret: Secret
            do {
                (response, secret) = try await gate.withSlot { try await sendOnce(url: url, shown: shown) }
            } catch let error as Transport.Failure {
                if case .bodyTooLarge = error {
                    throw failure("\(error.reason). The page size may be too large for this API; report this to the idgraph maintainers.")
                }
                try await retry(
                    error.reason, advice: "Check base_url and that the service is reachable, then run collect again.",
                    cause: .transport(error, host: Self.hostAndPort(url)))
                continue
            }
            let limits = RateLimitHeaders(response.headers)

            switch response.status {
            case 200..<300:
                if let body = try? read(response.body) {
                    return Response(body: body, headers: response.headers, entry: response.entry)
                }
                try await retry(
                    "the response body is not valid JSON (a truncated or garbled page)",
                    advice: "The service keeps sending broken pages; run collect again later.", cause: nil)
            case 429:
                rejections += 1
                guard rejections < 10 else {
                    throw failure(
                        "The API still refuses requests with HTTP 429 after \(rejections) tries. Run collect again later or lower max_concurrency.",
                        .status(429))
                }
                let delay = await limiter.rejected(limits) { policy.rateLimitDelay(afterRejection: $0) }
                guard delay <= source.maxWaitSeconds else {
                    throw waitTooLong(delay, failure: failure)
                }
                await sink.countRetry()
                sink.progress.report(.retrying(source: source.name, path: shown, attempt: attempt + rejections, reason: "HTTP 429 (rate limited)"))
            case 500, 502, 503, 504:
                try await retry(
                    "HTTP \(response.status) from the service", advice: "The service is failing; run collect again later.",
                    cause: .status(response.status), retryAfter: limits.retryAfterSeconds)
            case 401, 403:
                // Another try with a new credential (see `refusalsAllowed`); the same
                // credential refused twice, or one refusal too many, fails the source.
                await credentials.refused(secret)
                guard !refused.contains(secret), refused.count < credentials.refusalsAllowed else {
                    throw failure(
                        "HTTP \(response.status): the API refused the credentials; check \(source.describeKeys(credentials.keys)) of source \(source.name), and that they may read this endpoint.",
                        .status(response.status))
                }
                refused.append(secret)
                await sink.countRetry()
                sink.progress.report(.retrying(source: source.name, path: shown, attempt: attempt + refused.count, reason: "HTTP \(response.status)"))
            case 404:
                throw failure(
                    "HTTP 404: the endpoint does not exist. Check the source's base_url (and company_id for Procore); docs/sources.md lists each source's endpoints.",
                    .status(404))
            default:
                throw failure(
                    "HTTP \(response.status): the API refused the request. Check the source's configuration and the token's permissions (docs/sources.md), then run collect again.",
                    .status(response.status))
            }
        }
    }

    /// Sends the request once, after waiting for the rate limit, and records
    /// what the response says about the budget.
    private func sendOnce(url: String, shown: String) async throws -> (Transport.Response, Secret) {
        try await acquireSlot(failure: { CollectionError(source: source.name, location: shown, message: $0) })
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: source.userAgent ?? "idgraph/1.0")
        for (name, value) in fixedHeaders { request.headers.add(name: name, value: value) }
        let response: Transport.Response
        let authorization: (name: String, value: String, secret: Secret)
        do {
            authorization = try await credentials.authorization()
            request.headers.add(name: authorization.name, value: authorization.value)
            response = try await transport.send(request, path: shown)
        } catch {
            await limiter.release()
            throw error
        }
        await limiter.record(RateLimitHeaders(response.headers), status: response.status)
        return (response, authorization.secret)
    }

    /// Waits until the rate limit allows one more request.
    private func acquireSlot(failure: (String) -> CollectionError) async throws {
        while case .wait(let duration, let announce, let reason) = await limiter.reserve() {
            let seconds = duration.seconds
            guard seconds <= source.maxWaitSeconds else { throw waitTooLong(seconds, failure: failure) }
            if announce {
                await sink.countWait(seconds: seconds)
                sink.progress.report(.waiting(source: source.name, seconds: seconds, reason: reason))
            }
            try await Task.sleep(for: duration)
        }
    }

    private func waitTooLong(_ seconds: Double, failure: (String) -> CollectionError) -> CollectionError {
        failure(
            "The API's rate limit asks to wait \(seconds.isFinite && seconds < 1e9 ? String(Int(seconds.rounded(.up))) : "an unbounded time, over 10^9") s, longer than max_wait_seconds (\(Int(source.maxWaitSeconds)) s). Run collect again later, or raise max_wait_seconds for this source.")
    }
}
