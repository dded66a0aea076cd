/// One finding: an account a rule flags, with the values that triggered it.
public struct Finding: Sendable, Hashable {
    /// The rule's id.
    public var rule: String
    /// How urgent it is.
    public var severity: Severity
    /// The source instance name.
    public var source: String
    /// The source's id of the account.
    public var accountID: String
    /// The account's email as the source gave it.
    public var email: String?
    /// The account's display name.
    public var name: String?
    /// Why the account is flagged, in words a reviewer can check.
    public var detail: String

    /// Creates a finding.
    public init(
        rule: String, severity: Severity, source: String, accountID: String, email: String?, name: String?,
        detail: String
    ) {
        self.rule = rule
        self.severity = severity
        self.source = source
        self.accountID = accountID
        self.email = email
        self.name = name
        self.detail = detail
    }
}
