/// What a source run shows an auditor beside its rows: the population as the API described it, whose
/// token read it, and every request sent (the README, "The graph": `source_runs`, `request_journal`).
public struct SourceRunEvidence: Sendable, Hashable {
    /// The total the API itself reported for the account listings; `nil` unless every one reported one.
    public var reportedTotal: Int?
    /// The records those listings returned (data rows, for a roster).
    public var listed: Int?
    /// The responses those listings took; `nil` for a file.
    public var pages: Int?
    /// How the listings ended (`total reached`, `hasNextPage false`, `end of file`…).
    public var listEnd: String?
    /// Whose token it was, where the API says (never a secret).
    public var actingAs: String?
    /// Every request sent, in order.
    public var journal: [JournalEntry]

    /// Creates evidence; empty by default (nothing known).
    public init(
        reportedTotal: Int? = nil, listed: Int? = nil, pages: Int? = nil, listEnd: String? = nil, actingAs: String? = nil,
        journal: [JournalEntry] = []
    ) {
        self.reportedTotal = reportedTotal
        self.listed = listed
        self.pages = pages
        self.listEnd = listEnd
        self.actingAs = actingAs
        self.journal = journal
    }
}
