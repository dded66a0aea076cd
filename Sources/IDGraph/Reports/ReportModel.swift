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
    /// People's access grouped by their manager, who reviews it.
    public var reviewers: [ReviewerGroup]
    /// Accounts that join no roster person, grouped by canonical email.
    public var unmatched: [PersonAccess]
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

    /// A reviewer (a manager) and the people whose access they sign off.
    public struct ReviewerGroup: Sendable, Hashable {
        /// The manager's canonical email; `nil` for people with no manager.
        public var reviewerEmail: String?
        /// The manager's name, when the roster lists them.
        public var reviewerName: String?
        /// The people they review.
        public var people: [PersonAccess]
    }

    /// One person and their accounts.
    public struct PersonAccess: Sendable, Hashable {
        /// The canonical email.
        public var email: String?
        /// The roster name; `nil` for accounts that join no roster person.
        public var name: String?
        /// The roster department.
        public var department: String?
        /// The roster status; `nil` when not in the roster.
        public var rosterStatus: String?
        /// The person's accounts, by source.
        public var accounts: [AccountAccess]
    }

    /// One account and what it can reach.
    public struct AccountAccess: Sendable, Hashable {
        /// The source instance.
        public var source: String
        /// The source's id.
        public var accountID: String
        /// The email as the source gave it.
        public var email: String?
        /// The display name in the source.
        public var name: String?
        /// The source's role name.
        public var role: String?
        /// Whether it is an admin.
        public var isAdmin: Bool
        /// Active, invited or inactive.
        public var status: String
        /// Last activity.
        public var lastSeen: String?
        /// Creation date.
        public var created: String?
        /// Names of the containers it is a direct member of.
        public var containers: [String]
        /// Whether the source's last collection failed.
        public var stale: Bool
        /// The findings on this account.
        public var findings: [Finding]
    }
}
