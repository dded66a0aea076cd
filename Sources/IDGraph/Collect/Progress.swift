import Foundation

/// Something worth telling the person at the terminal while a collection runs.
public enum ProgressEvent: Sendable, Hashable {
    /// A source started.
    case started(source: String)
    /// A page (or file) of records arrived: running totals for the source.
    case page(source: String, what: String, count: Int, total: Int)
    /// The source is pausing for a rate limit.
    case waiting(source: String, seconds: Double, reason: String)
    /// A request is being sent again after a fault.
    case retrying(source: String, path: String, attempt: Int, reason: String)
    /// One HTTP request finished (shown with `--verbose`); `path` never carries a secret.
    case request(source: String, method: String, path: String, status: Int, milliseconds: Int)
    /// An OAuth access token is being requested, and why (shown with `--verbose`).
    case tokenRequested(source: String, reason: TokenRequestReason)
    /// A warning about the source's data that did not stop the collection.
    case warning(CollectionDiagnostic)
    /// A source finished, well or not.
    case finished(SourceOutcome)
}

/// Why an OAuth access token is requested.
public enum TokenRequestReason: String, Sendable, Hashable {
    /// The source has no token yet.
    case first
    /// The current token is near its `expires_in`, or older than tokens have been seen to live.
    case aheadOfExpiry = "ahead of expiry"
    /// The API refused the current token (HTTP 401).
    case refused = "the token was refused"
}

/// Where progress goes: stderr for the command line, an array for tests.
public struct ProgressSink: Sendable {
    private let handler: @Sendable (ProgressEvent) -> Void

    /// Creates a sink that calls `handler` for every event, from any task.
    public init(_ handler: @escaping @Sendable (ProgressEvent) -> Void) {
        self.handler = handler
    }

    /// Reports `event`.
    public func report(_ event: ProgressEvent) {
        handler(event)
    }

    /// A sink that drops everything.
    public static let silent = ProgressSink { _ in }
}

/// How collecting one source ended.
public struct SourceOutcome: Sendable, Hashable {
    /// The source's instance name.
    public var source: String
    /// Its kind.
    public var kind: SourceKind
    /// `nil` when it succeeded; otherwise what failed, where and what to do.
    public var failure: CollectionDiagnostic?
    /// Counts, requests and waits.
    public var stats: SourceRunStats
    /// Wall time.
    public var seconds: Double
    /// The warnings about the source's data, in the order they arose.
    public var diagnostics: [CollectionDiagnostic]

    /// Whether the source was stored.
    public var succeeded: Bool { failure == nil }
    /// The failure's message.
    public var error: String? { failure?.message }
    /// The warnings' messages, for the collect summary.
    public var warnings: [String] { diagnostics.map(\.message) }

    /// Creates an outcome.
    public init(
        source: String, kind: SourceKind, failure: CollectionDiagnostic?, stats: SourceRunStats, seconds: Double,
        diagnostics: [CollectionDiagnostic] = []
    ) {
        self.source = source
        self.kind = kind
        self.failure = failure
        self.stats = stats
        self.seconds = seconds
        self.diagnostics = diagnostics
    }

    /// The summary line `collect` prints for the source.
    public var summary: String {
        let status = succeeded ? "ok" : "FAILED"
        func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
        var counts: String
        if kind.isRoster {
            counts = "\(stats.people) \(stats.people == 1 ? "person" : "people")"
        } else {
            counts = [
                count(stats.accounts, "account"), count(stats.containers, "container"),
                count(stats.memberships, "membership"),
            ].joined(separator: ", ")
        }
        // A roster is a file: it sends no requests worth counting.
        if !kind.isRoster { counts += ", " + count(stats.requests, "request") }
        if stats.waits > 0 { counts += ", " + count(stats.waits, "wait") + " (\(String(format: "%.1f", stats.waitSeconds)) s)" }
        if stats.retries > 0 { counts += ", \(stats.retries) retr\(stats.retries == 1 ? "y" : "ies")" }
        if stats.duplicates > 0 {
            counts += ", \(stats.duplicates) account\(stats.duplicates == 1 ? "" : "s") listed twice (stored once)"
        }
        return "\(source) (\(kind.rawValue)): \(counts), \(String(format: "%.1f", seconds)) s, \(status)"
    }
}
