import Foundation

/// What to tell a user about a request of a check that failed: what happened, where, and what to
/// check, in the words of the configuration (its keys and the environment variables they come from,
/// never a value).
enum CheckAdvice {
    /// The failed line for `error`, met while checking `source`.
    static func line(for error: any Error, source: SourceConfiguration) -> CheckLine {
        guard let error = error as? CollectionError else {
            return .failed((error as? any IDGraphError)?.description ?? "The check failed: \(error).")
        }
        let at = error.location.map { " at \($0)" } ?? ""
        let credentials = source.describeKeys(source.descriptor?.credentialKeys ?? [])
        let permissions = "docs/sources.md, \"Permissions\" under \(source.kind.displayName)"
        switch error.cause {
        case .status(let status) where status == 401 || status == 403:
            return .failed(
                "The API refused the credentials (HTTP \(status)\(at)). Check \(credentials): the current key, copied whole, for this base_url; and that its user may read this endpoint (\(permissions)).")
        case .tokenRefused(let status):
            return .failed(
                "The token endpoint refused the client credentials (HTTP \(status)\(at)). Check \(credentials), and that the app is installed for the company (\(permissions)).")
        case .status(404):
            let vendor = source.descriptor?.defaultBaseURL.map { " (the vendor's: \($0.absoluteString))" } ?? ""
            return .failed(
                "HTTP 404\(at): no such endpoint there. Check base_url\(vendor); docs/sources.md lists each source's endpoints.")
        case .transport(let failure, let host):
            return .failed(transportAdvice(failure, host: host, key: urlKey(of: host, in: source), source: source))
        case .status, nil:
            return .failed(error.location.map { "\($0): \(error.message)" } ?? error.message)
        }
    }

    /// Advice for a request that got no complete response from `host`, the host of `key`.
    private static func transportAdvice(
        _ failure: Transport.Failure, host: String, key: String, source: SourceConfiguration
    ) -> String {
        switch failure {
        case .refused:
            return "Nothing accepts connections at \(host). Check the host and port of \(key), and that the service is running; a firewall or proxy may refuse too."
        case .unresolvable:
            return "The host name in \(host) does not resolve. Check the spelling of \(key), and this machine's DNS or proxy settings."
        case .tls(certificate: true):
            return "The TLS certificate of \(host) was not accepted. Check that \(key) names the host the certificate is for; a proxy that intercepts TLS needs its certificate authority trusted on this machine."
        case .tls(certificate: false):
            return "The TLS handshake with \(host) failed. Check that \(key) uses https:// on a port that serves TLS (a plain-http port fails this way)."
        case .timeout:
            return "\(host) did not answer within \(Int(source.requestTimeoutSeconds)) s. Check the network path to it (firewall, proxy, VPN), or raise request_timeout_seconds if the service is slow."
        case .connection(let reason):
            return "The connection to \(host) failed: \(reason). Check \(key) and the network path to it, then run check again."
        case .bodyTooLarge:
            return "\(failure.reason) from \(host); report this to the idgraph maintainers."
        }
    }

    /// Which of the source's URL keys points at `host` (`name:port`).
    private static func urlKey(of host: String, in source: SourceConfiguration) -> String {
        let keyed: [(String, URL?)] = [("base_url", source.baseURL), ("scim_base_url", source.scimBaseURL), ("token_url", source.tokenURL)]
        return keyed.first { $0.1.map { APIClient.hostAndPort($0.absoluteString) } == host }?.0 ?? "base_url"
    }
}
