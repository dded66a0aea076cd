/// What collecting one source cost and produced, recorded in `source_runs`.
public struct SourceRunStats: Sendable, Hashable {
    /// HTTP requests sent (token requests included).
    public var requests = 0
    /// Requests sent again after a fault or a 429.
    public var retries = 0
    /// Pauses for a rate limit.
    public var waits = 0
    /// Total time spent in those pauses.
    public var waitSeconds = 0.0
    /// Accounts stored.
    public var accounts = 0
    /// Containers stored.
    public var containers = 0
    /// Memberships stored.
    public var memberships = 0
    /// Roster people stored.
    public var people = 0
    /// Credentials (tokens) stored.
    public var credentials = 0
    /// Accounts the API listed more than once under one id (pages that overlapped, ids such as
    /// `12345` and `"12345"`), each stored once.
    public var duplicates = 0

    /// Empty statistics.
    public init() {}
}
