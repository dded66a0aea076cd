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
    private let tokenURL: URL
    private let clientID: Secret
    private let clientSecret: Secret
    private let transport: Transport
    private let clock = ContinuousClock()

    private var current: (token: Secret, refreshAt: ContinuousClock.Instant?)?
    private var inFlight: Task<(token: Secret, refreshAt: ContinuousClock.Instant?), any Error>?

    /// Creates a provider that posts to `tokenURL`.
    init(source: String, tokenURL: URL, clientID: Secret, clientSecret: Secret, transport: Transport) {
        self.source = source
        self.tokenURL = tokenURL
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.transport = transport
    }

    /// A token that is valid for a while yet.
    func token() async throws -> Secret {
        if let current, current.refreshAt.map({ clock.now < $0 }) ?? true {
            return current.token
        }
        if let inFlight { return try await inFlight.value.token }
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
        if current?.token == refused { current = nil }
    }

    private func requestToken() async throws -> (token: Secret, refreshAt: ContinuousClock.Instant?) {
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
        .map { "\($0.0)=\(Self.formEncode($0.1))" }.joined(separator: "&")
        request.body = .bytes(ByteBuffer(string: form))

        let sent = clock.now
        let response: Transport.Response
        do {
            response = try await transport.send(request, path: path)
        } catch let error as Transport.Failure {
            throw failure(
                "The OAuth token request failed: \(error.reason). Check token_url and that the service is reachable, then run collect again.")
        }
        switch response.status {
        case 200..<300: break
        case 400, 401, 403:
            throw failure(
                "The OAuth token request was refused (HTTP \(response.status)). Check the token for source \(source): its client_id and client_secret.")
        default:
            throw failure("The OAuth token request failed with HTTP \(response.status). Run collect again later.")
        }
        guard let json = try? JSONValue.parse(response.body), let token = json["access_token"].string else {
            throw failure("The OAuth token response has no access_token. Check token_url.")
        }
        // Refresh ahead of expiry by a tenth of the lifetime (at most a minute),
        // measured from when the request was sent.
        let refreshAt = json["expires_in"].int.map { seconds -> ContinuousClock.Instant in
            let lead = min(60.0, Double(seconds) / 10)
            return sent + .milliseconds(Int64((Double(seconds) - lead) * 1000))
        }
        return (Secret(token), refreshAt)
    }

    private static func formEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
