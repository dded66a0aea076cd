import Foundation

/// Everything the HTML report shows, read once from the database after a review.
public struct ReportModel: Sendable {
    /// The review run the findings belong to.
    public var reviewRunID: Int64
    /// The moment the rules judged against.
    public var asOf: Date
    /// When the report was made.
    public var generatedAt: Date
    /// The thresholds the rules used.
    public var inactiveDays: Int
    /// The stale-invite threshold.
    public var staleInviteDays: Int
    /// Every rule and what became of it.
    public var rules: [RuleSummary]
    /// Every source: configured, collected, or both.
    public var sources: [SourceSummary]
    /// The findings, rule by rule.
    public var findings: [Finding]
    /// Skipped rules and data problems; stale sources are in ``sources``.
    public var warnings: [String]
    /// Rule files that failed.
    public var ruleErrors: [String]
    /// Every account with its roster person and findings, in list order
    /// (``AccessList``); empty for a page that streams its accounts.
    public var access: [AccessRow]
    /// API tokens the sources listed (the `credentials` view), owner first.
    public var credentials: [CredentialSummary] = []
    /// The campaign named with `review --campaign`: its progress and its revoke list.
    public var campaign: CampaignProgress.Report?
    /// Roster people with at least one account, when counted without loading
    /// ``reviewers`` (a large report streams the accounts instead).
    public var peopleWithAccess: Int?

    /// One rule in the summary.
    public struct RuleSummary: Sendable, Hashable {
        /// The rule id.
        public var id: String
        /// Its default severity.
        public var severity: Severity
        /// What it flags.
        public var description: String
        /// Ran, skipped or failed.
        public var status: RuleRun.Status
        /// How many findings it produced.
        public var findings: Int
    }

    /// One source in the summary.
    public struct SourceSummary: Sendable, Hashable {
        /// The instance name.
        public var name: String
        /// The kind, as configured or as last collected.
        public var kind: SourceKind?
        /// Whether accounts carry activity dates (the inactive rule's coverage).
        public var hasActivity: Bool
        /// Whether the source says which accounts are admins (the over-privileged rule's coverage).
        public var hasAdmin: Bool
        /// Accounts in the current graph.
        public var accounts: Int
        /// Roster people in the current graph (roster sources).
        public var people: Int
        /// Accounts that carry a last-activity date.
        public var accountsWithActivity: Int
        /// Findings of this review on the source.
        public var findings: Int
        /// When its current data was collected; `nil` when never.
        public var collectedAt: String?
        /// Whether the last collection failed, so the data shown is older.
        public var stale: Bool
        /// The error of the failed collection, when stale.
        public var error: String?
    }

    /// One API token in the report.
    public struct CredentialSummary: Sendable, Hashable {
        public var source: String
        public var owner: String
        public var ownerStatus: String
        public var name: String
        public var created: String
        public var expires: String
        public var revoked: Bool
    }
}
