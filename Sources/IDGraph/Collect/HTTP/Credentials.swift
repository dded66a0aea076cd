import Foundation

/// How a source proves who it is on every request.
enum Credentials: Sendable {
    /// `Authorization: Bearer <token>` (Process Street, ProofHub, ProcessMaker).
    case bearer(Secret)
    /// HTTP Basic with the API key as user name and an empty password (Streak).
    case basicUser(Secret)
    /// An OAuth 2.0 client-credentials token (Procore).
    case oauth(OAuthTokenProvider)

    /// The `Authorization` header value, and the secret it carries (to
    /// invalidate after a 401).
    func authorization() async throws -> (header: String, secret: Secret) {
        switch self {
        case .bearer(let token):
            return ("Bearer \(token.reveal())", token)
        case .basicUser(let key):
            return ("Basic \(Data("\(key.reveal()):".utf8).base64EncodedString())", key)
        case .oauth(let provider):
            let token = try await provider.token()
            return ("Bearer \(token.reveal())", token)
        }
    }

    /// Called after a 401 or 403 with the secret that was refused; for OAuth the
    /// next request gets a fresh token (once: the provider ignores a secret it
    /// has already replaced).
    func refused(_ secret: Secret) async {
        if case .oauth(let provider) = self { await provider.invalidate(secret) }
    }

    /// What the user should check when the credentials are refused.
    /// How many different credentials one request may see refused before the
    /// source fails. A static token is sent once more (a 401 can be transient).
    /// OAuth tokens get a few fresh ones: a server that ends tokens early refuses
    /// a shared token that aged while the request queued for the rate limit; a
    /// wrong client id or secret fails at the token endpoint instead.
    var refusalsAllowed: Int {
        if case .oauth = self { return 4 }
        return 2
    }

    var whatToCheck: String {
        switch self {
        case .bearer: "its 'token'"
        case .basicUser: "its 'api_key'"
        case .oauth: "its 'client_id' and 'client_secret'"
        }
    }
}
