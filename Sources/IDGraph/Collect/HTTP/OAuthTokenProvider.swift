import AsyncHTTPClient
import Foundation
import NIOCore

/// The access token of an OAuth 2.0 client-credentials source (Procore),
/// shared by all its concurrent requests.
///
/// The token is requested once and reused; it is requested again ahead of its
/// `expires_in` (so a long collection never sends an expired one), and at most
/// once after a 401 for the token that was refused. Concurrent callers wait
/// for the same token request instead of each sending one.
actor OAuthTokenProvider {
    private let source: String
    /// The keys to check when the token endpoint refuses them, as ``SourceConfiguration/describeKeys(_:)`` names them.
    private let credentialKeys: String
    private let tokenURL: URL
    private let clientID: Secret
    private let clientSecret: Secret
    private let transport: Transport
    private let policy: RetryPolicy
    /// The time now; a test drives it by hand.
    private let now: @Sendable () -> ContinuousClock.Instant

    /// A token, when it was requested, and when to replace it.
    private struct Issued: Sendable {
        var token: Secret
        var requestedAt: ContinuousClock.Instant
        var refreshAt: ContinuousClock.Instant?
    }

    private var current: Issued?
    /// Why the next token is requested when there is no current one.
    private var replacing: TokenRequestReason = .first
    private var inFlight: Task<Issued, any Error>?
    /// How long tokens really lived, when the server refused one before its
    /// `expires_in`: later tokens are replaced before that age.
    private var observedLifetime: Duration?

    /// Creates a provider that posts to `tokenURL`.
    init(
        source: String, credentialKeys: String, tokenURL: URL, clientID: Secret, clientSecret: Secret, transport: Transport,
        policy: RetryPolicy, now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        self.now = now
        self.policy = policy
        self.source = source
        self.credentialKeys = credentialKeys
        self.tokenURL = tokenURL
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.transport = transport
    }

    /// A token that is valid for a while yet.
    func token() async throws -> Secret {
        if let current, now() < refreshTime(of: current) {
            return current.token
        }
        if let inFlight { return try await inFlight.value.token }
        transport.sink.progress.report(
            .tokenRequested(source: source, reason: current == nil ? replacing : .aheadOfExpiry))
        let task = Task { try await self.requestToken() }
        inFlight = task
        defer { inFlight = nil }
        let fresh = try await task.value
        current = fresh
        return fresh.token
    }

    /// Forgets `refused` after a 401, so the next ``token()`` requests a new
    /// one; a token that was already replaced is left alone.
    func invalidate(_ refused: Secret) {
        guard let current, current.token == refused else { return }
        let age = now() - current.requestedAt
        if current.refreshAt.map({ now() < $0 }) ?? true {
            // Refused before the promised expiry: remember how long tokens really last.
            observedLifetime = min(observedLifetime ?? age, age)
        }
        self.current = nil
        replacing = .refused
    }

    /// When `issued` is replaced: ahead of `expires_in`, and ahead of the
    /// lifetime the server has shown, if shorter.
    private func refreshTime(of issued: Issued) -> ContinuousClock.Instant {
        var at = issued.refreshAt ?? now().advanced(by: .seconds(1_000_000))
        if let observedLifetime { at = min(at, issued.requestedAt + observedLifetime * 0.8) }
        return at
    }

    private func requestToken() async throws -> Issued {
        let path = tokenURL.path.isEmpty ? "/" : tokenURL.path
        func failure(_ message: String) -> CollectionError {
            CollectionError(source: source, location: path, message: message)
        }
        var request = HTTPClientRequest(url: tokenURL.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        let form = [
            ("grant_type", "client_credentials"), ("client_id", clientID.reveal()),
            ("client_secret", clientSecret.reveal()),
        ]
        .map { "\($0.0)=\(PathComponent.escape($0.1))" }.joined(separator: "&")
        request.body = .bytes(ByteBuffer(string: form))

        // A token request changes nothing on the server, so a timeout, a dropped
        // connection or a 502/503/504 is retried like a GET, with the same backoff.
        var attempt = 1
        var sent = now()
        var response: Transport.Response
        while true {
            sent = now()
            var reason: String
            var cause: CollectionError.Cause
            do {
                // The response holds the access token: journalled, never hashed.
                response = try await transport.send(request, path: path, bodyHoldsCredential: true)
                guard [502, 503, 504].contains(response.status) else { break }
                reason = "HTTP \(response.status)"
                cause = .status(response.status)
            } catch let error as Transport.Failure {
                reason = error.reason
                cause = .transport(error, host: APIClient.hostAndPort(tokenURL.absoluteString))
            }
            guard attempt < policy.maxAttempts else {
                var error = failure(
                    "The OAuth token request failed: \(reason); gave up after \(attempt) attempts. Check token_url and that the service is reachable, then run collect again.")
                error.cause = cause
                throw error
            }
            attempt += 1
            await transport.sink.countRetry()
            transport.sink.progress.report(.retrying(source: source, path: path, attempt: attempt, reason: reason))
            try await Task.sleep(for: .milliseconds(Int64(policy.delay(beforeRetry: attempt - 1) * 1000)))
        }
        switch response.status {
        case 200..<300: break
        case 400, 401, 403:
            var error = failure(
                "The OAuth token request was refused (HTTP \(response.status)); check \(credentialKeys) of source \(source).")
            error.cause = .tokenRefused(response.status)
            throw error
        default:
            throw failure("The OAuth token request failed with HTTP \(response.status). Run collect again later.")
        }
        guard let json = try? JSONValue.parse(response.body), let token = json["access_token"].string else {
            throw failure("The OAuth token response has no access_token. Check token_url.")
        }
        // Refresh ahead of expiry by a tenth of the lifetime, at least five
        // seconds (but never more than half of it) and at most five minutes,
        // counted from when the request was sent: a request that queues for the
        // rate limit or a slow response must not outlive its token.
        let refreshAt = json["expires_in"].int.map { seconds -> ContinuousClock.Instant in
            // An absurd expires_in (from untrusted JSON) is read as a day at most: refreshed early, never a crash.
            let lifetime = Double(min(max(seconds, 0), 86_400))
            let lead = min(300, max(lifetime / 10, min(5, lifetime / 2)))
            return sent + .milliseconds(Int64((lifetime - lead) * 1000))
        }
        return Issued(token: Secret(token), requestedAt: sent, refreshAt: refreshAt)
    }
}
