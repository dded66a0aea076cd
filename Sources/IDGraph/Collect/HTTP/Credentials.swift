import Foundation

/// How a source proves who it is on every request, built from its kind's
/// ``SourceDescriptor/Authentication``.
enum Credentials: Sendable {
    /// The token in a header of its own (`X-API-KEY: <token>`: Process Street, ProofHub).
    case header(String, Secret)
    /// `Authorization: Bearer <token>` (ProcessMaker).
    case bearer(Secret)
    /// HTTP Basic with the API key as user name and an empty password (Streak).
    case basicUser(Secret)
    /// An OAuth 2.0 client-credentials token (Procore).
    case oauth(OAuthTokenProvider)

    /// The credentials of `source`, as its kind authenticates; throws when a key is missing.
    init(source: SourceConfiguration, transport: Transport, policy: RetryPolicy) throws {
        func missing(_ key: String) -> CollectionError {
            CollectionError(source: source.name, message: "The source has no '\(key)'. Add it to the configuration.")
        }
        switch source.descriptor?.authentication ?? .bearer {
        case .none:
            throw CollectionError(source: source.name, message: "A \(source.kind) source is not read over HTTP.")
        case .apiKeyHeader(let name):
            guard let token = source.token else { throw missing("token") }
            self = .header(name, token)
        case .bearer:
            guard let token = source.token else { throw missing("token") }
            self = .bearer(token)
        case .basicUser:
            guard let key = source.apiKey else { throw missing("api_key") }
            self = .basicUser(key)
        case .oauthClientCredentials:
            guard let tokenURL = source.tokenURL else { throw missing("token_url") }
            guard let clientID = source.clientID else { throw missing("client_id") }
            guard let clientSecret = source.clientSecret else { throw missing("client_secret") }
            self = .oauth(
                OAuthTokenProvider(
                    source: source.name, credentialKeys: source.describeKeys(["client_id", "client_secret"]),
                    tokenURL: tokenURL, clientID: clientID, clientSecret: clientSecret, transport: transport, policy: policy))
        }
    }

    /// The header that carries the credential, its value, and the secret it
    /// carries (to invalidate after a 401).
    func authorization() async throws -> (name: String, value: String, secret: Secret) {
        switch self {
        case .header(let name, let token):
            return (name, token.reveal(), token)
        case .bearer(let token):
            return ("Authorization", "Bearer \(token.reveal())", token)
        case .basicUser(let key):
            return ("Authorization", "Basic \(Data("\(key.reveal()):".utf8).base64EncodedString())", key)
        case .oauth(let provider):
            let token = try await provider.token()
            return ("Authorization", "Bearer \(token.reveal())", token)
        }
    }

    /// Called after a 401 or 403 with the secret that was refused; for OAuth the
    /// next request gets a fresh token (once: the provider ignores a secret it
    /// has already replaced).
    func refused(_ secret: Secret) async {
        if case .oauth(let provider) = self { await provider.invalidate(secret) }
    }

    /// How many different credentials one request may see refused before the
    /// source fails. A static token is sent once more (a 401 can be transient).
    /// OAuth tokens get a few fresh ones: a server that ends tokens early refuses
    /// a shared token that aged while the request queued for the rate limit; a
    /// wrong client id or secret fails at the token endpoint instead.
    var refusalsAllowed: Int {
        if case .oauth = self { return 4 }
        return 2
    }

    /// The configuration keys the credential comes from: what to check when it is refused.
    var keys: [String] {
        switch self {
        case .header, .bearer: ["token"]
        case .basicUser: ["api_key"]
        case .oauth: ["client_id", "client_secret"]
        }
    }
}
