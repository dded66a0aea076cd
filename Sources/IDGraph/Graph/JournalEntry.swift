import Foundation

/// One HTTP request a collect sent, as `request_log` keeps it (the README, "The graph": `request_journal`).
///
/// Never a credential: `path` is the URL path and the query without any parameter whose name looks
/// secret (``RequestJournal/path(of:)``), never the host; `sha256` is `nil` for a response whose body
/// holds a credential (an OAuth token response).
public struct JournalEntry: Sendable, Hashable {
    /// 1-based, per source run, in the order the requests were sent.
    public var seq: Int
    /// When the request was sent.
    public var sentAt: Date
    /// The HTTP method.
    public var method: String
    /// The URL path and query, secret parameters removed.
    public var path: String
    /// The HTTP status; 0 when no complete response came (refused, timed out, too large…).
    public var status: Int
    /// How many records of a listing the response carried; `nil` for a response that is no page of a listing.
    public var records: Int?
    /// The size of the response body; `nil` when no body was read.
    public var bytes: Int?
    /// The SHA-256 of the response body, lower-case hex; `nil` when no body was read, or the body holds a credential.
    public var sha256: String?
    /// How long the request took.
    public var milliseconds: Int

    /// Creates an entry.
    public init(
        seq: Int, sentAt: Date, method: String, path: String, status: Int = 0, records: Int? = nil, bytes: Int? = nil,
        sha256: String? = nil, milliseconds: Int = 0
    ) {
        self.seq = seq
        self.sentAt = sentAt
        self.method = method
        self.path = path
        self.status = status
        self.records = records
        self.bytes = bytes
        self.sha256 = sha256
        self.milliseconds = milliseconds
    }
}
