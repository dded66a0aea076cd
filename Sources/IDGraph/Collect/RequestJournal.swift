import Foundation

/// The requests one source run sent, in order, for `request_log`: one entry per request sent
/// (each retry is a request of its own), so the journal's rows always number `source_runs.requests`.
///
/// An entry is opened when its request is sent and answered when the response (or the failure) is
/// known, so a request that never returns (cancelled, timed out) is still journalled, with status 0.
struct RequestJournal: Sendable {
    /// The entries so far; `entries[seq - 1]` is request `seq`.
    private(set) var entries: [JournalEntry] = []

    /// Records request `seq` sent.
    mutating func open(seq: Int, method: String, path: String, at date: Date) {
        entries.append(JournalEntry(seq: seq, sentAt: date, method: method, path: path))
    }

    /// Records what came back for request `seq`.
    mutating func answer(_ seq: Int, status: Int, bytes: Int?, sha256: String?, milliseconds: Int) {
        guard entries.indices.contains(seq - 1) else { return }
        entries[seq - 1].status = status
        entries[seq - 1].bytes = bytes
        entries[seq - 1].sha256 = sha256
        entries[seq - 1].milliseconds = milliseconds
    }

    /// Records that request `seq` carried `count` records of a listing.
    mutating func count(_ count: Int, recordsOf seq: Int) {
        guard entries.indices.contains(seq - 1) else { return }
        entries[seq - 1].records = count
    }

    /// Words in a query parameter's name that mark it as a credential; matched case-insensitively,
    /// anywhere in the name (`api_key`, `X-Amz-Signature`, `client_secret`, `oauth_token`).
    static let secretNameParts = [
        "token", "key", "secret", "password", "passwd", "pwd", "signature", "sig", "code", "auth", "credential",
        "session", "client_id",
    ]

    /// What the journal keeps of `url`: its path and query, without the scheme, host or port, any
    /// user name or password, the fragment, or a query parameter whose name looks secret.
    static func path(of url: String) -> String {
        var rest = Substring(url)
        if let scheme = rest.range(of: "://") {
            rest = rest[scheme.upperBound...]
            rest = rest.firstIndex(where: { $0 == "/" || $0 == "?" }).map { rest[$0...] } ?? ""
        }
        if let fragment = rest.firstIndex(of: "#") { rest = rest[..<fragment] }
        let parts = rest.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let path = parts.first.map { $0.isEmpty ? "/" : String($0) } ?? "/"
        guard parts.count == 2 else { return path }
        let kept = parts[1].split(separator: "&", omittingEmptySubsequences: true).filter { parameter in
            let name = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            return !isSecret(String(name).removingPercentEncoding ?? String(name))
        }
        return kept.isEmpty ? path : path + "?" + kept.joined(separator: "&")
    }

    /// Whether a query parameter called `name` may carry a credential.
    static func isSecret(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return secretNameParts.contains { lowered.contains($0) }
    }

    /// The SHA-256 of `body`, lower-case hex.
    static func sha256(_ body: Data) -> String { Digest.sha256(body) }
}
