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
    /// A parsed response.
    struct Response: Sendable {
        /// The JSON body.
        var body: JSONValue
        /// The headers (paging totals, `Link`).
        var headers: HTTPHeaders
    }

    let source: SourceConfiguration
    let sink: SourceSink
    let transport: Transport
    let credentials: Credentials
    let limiter: RateLimiter
    let gate: RequestGate
    let policy: RetryPolicy
    private let base: String

    /// Creates the client of `source` over the run's `http` client.
    init(source: SourceConfiguration, sink: SourceSink, http: HTTPClient, policy: RetryPolicy) throws {
        guard let baseURL = source.baseURL else {
            throw CollectionError(source: source.name, message: "The source has no 'base_url'. Add it to the configuration.")
        }
        self.source = source
        self.sink = sink
        self.policy = policy
        self.limiter = RateLimiter()
        self.gate = RequestGate(permits: source.maxConcurrency)
        let transport = Transport(
            http: http, sink: sink, timeoutSeconds: source.requestTimeoutSeconds, maxBodyBytes: policy.maxBodyBytes)
        self.transport = transport
        var base = baseURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        self.base = base
        func missing(_ key: String) -> CollectionError {
            CollectionError(source: source.name, message: "The source has no '\(key)'. Add it to the configuration.")
        }
        switch source.kind {
        case .streak:
            guard let key = source.apiKey ?? source.token else { throw missing("api_key") }
            credentials = .basicUser(key)
        case .procore:
            guard let tokenURL = source.tokenURL else { throw missing("token_url") }
            guard let clientID = source.clientID else { throw missing("client_id") }
            guard let clientSecret = source.clientSecret else { throw missing("client_secret") }
            credentials = .oauth(
                OAuthTokenProvider(
                    source: source.name, tokenURL: tokenURL, clientID: clientID, clientSecret: clientSecret,
                    transport: transport, policy: policy))
        default:
            guard let token = source.token else { throw missing("token") }
            credentials = .bearer(token)
        }
    }

    /// The URL path of endpoint `path`, without host or query: what messages show.
    func displayPath(_ path: String) -> String {
        (URL(string: base + path)?.path).flatMap { $0.isEmpty ? nil : $0 } ?? path
    }

    /// GETs `path` (relative to the base URL) with `query`, waiting for the
    /// rate limit and retrying transient faults; throws a ``CollectionError``
    /// when the source cannot be read.
    func get(_ path: String, query: [(String, String)] = []) async throws -> Response {
        let (body, headers) = try await get(path, query: query, reading: JSONValue.parse)
        return Response(body: body, headers: headers)
    }

    /// GETs `path` like ``get(_:query:)``, reading a successful body with
    /// `read`; a body that `read` rejects (a truncated or garbled page) is
    /// fetched again.
    func get<Body: Sendable>(
        _ path: String, query: [(String, String)] = [], reading read: @Sendable (Data) throws -> Body
    ) async throws -> (body: Body, headers: HTTPHeaders) {
        let shown = displayPath(path)
        func failure(_ message: String) -> CollectionError {
            CollectionError(source: source.name, location: shown, message: message)
        }
        let url =
            base + path
            + (query.isEmpty
                ? "" : (path.contains("?") ? "&" : "?")
                    + query.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&"))
        var attempt = 1
        var rejections = 0
        var refused: [Secret] = []

        func retry(_ reason: String, advice: String, retryAfter: Double? = nil) async throws {
            guard attempt < policy.maxAttempts else {
                throw failure("\(reason); gave up after \(attempt) attempts. \(advice)")
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
                try await retry(error.reason, advice: "Check base_url and that the service is reachable, then run collect again.")
                continue
            }
            let limits = RateLimitHeaders(response.headers)

            switch response.status {
            case 200..<300:
                if let body = try? read(response.body) {
                    return (body, response.headers)
                }
                try await retry(
                    "the response body is not valid JSON (a truncated or garbled page)",
                    advice: "The service keeps sending broken pages; run collect again later.")
            case 429:
                rejections += 1
                guard rejections < 10 else {
                    throw failure("The API still refuses requests with HTTP 429 after \(rejections) tries. Run collect again later or lower max_concurrency.")
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
                    retryAfter: limits.retryAfterSeconds)
            case 401, 403:
                // Another try with a new credential (see `refusalsAllowed`); the same
                // credential refused twice, or one refusal too many, fails the source.
                await credentials.refused(secret)
                guard !refused.contains(secret), refused.count < credentials.refusalsAllowed else {
                    throw failure(
                        "HTTP \(response.status): the API refused the credentials; check the token for source \(source.name) (\(credentials.whatToCheck)) and that it may read this endpoint.")
                }
                refused.append(secret)
                await sink.countRetry()
                sink.progress.report(.retrying(source: source.name, path: shown, attempt: attempt + refused.count, reason: "HTTP \(response.status)"))
            case 404:
                throw failure("HTTP 404: the endpoint does not exist. Check the source's base_url (and company_id for Procore).")
            default:
                throw failure("HTTP \(response.status): the API refused the request. Check the source's configuration, then run collect again.")
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
        let response: Transport.Response
        let authorization: (header: String, secret: Secret)
        do {
            authorization = try await credentials.authorization()
            request.headers.add(name: "Authorization", value: authorization.header)
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
            "The API's rate limit asks to wait \(Int(seconds.rounded(.up))) s, longer than max_wait_seconds (\(Int(source.maxWaitSeconds)) s). Run collect again later, or raise max_wait_seconds for this source.")
    }

    private static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
