/// What kind of change a row of `diff.csv` is (its `change` column), in the
/// order the report lists them: sources, then roster people, then accounts.
public enum ChangeKind: String, Sendable, CaseIterable {
    /// A source collected on the later side only: its accounts are not listed as joiners.
    case sourceAdded = "source-added"
    /// A source collected on the earlier side only: its accounts are not listed as leavers.
    case sourceRemoved = "source-removed"
    /// A roster person who was active and is not any more.
    case terminated
    /// A roster person who was not active and is again.
    case rehired
    /// A roster person whose manager changed.
    case managerChanged = "manager-changed"
    /// A person the roster lists now and did not before.
    case personAdded = "person-added"
    /// A person the roster listed before and does not now.
    case personRemoved = "person-removed"
    /// An account that appears.
    case joiner
    /// An account that disappears.
    case leaver
    /// An account that was inactive and is active or invited.
    case reactivated
    /// An account that was active or invited and is inactive.
    case deactivated
    /// An account between invited and active (an invitation accepted, or re-sent).
    case statusChanged = "status-changed"
    /// An account that is an admin and was not (a joiner that is an admin included).
    case newAdmin = "new-admin"
    /// An account that was an admin and is not (a leaver that was an admin included).
    case removedAdmin = "removed-admin"
    /// An account's role changed, or its role in a container (then `container` names it).
    case roleChanged = "role-changed"
    /// An account's email changed (canonically): the account may now belong to someone else.
    case emailChanged = "email-changed"
    /// An account became a direct member of a container.
    case membershipAdded = "membership-added"
    /// An account stopped being a direct member of a container.
    case membershipRemoved = "membership-removed"

    /// Whether the change is about a roster person rather than an account.
    public var isRoster: Bool {
        [.terminated, .rehired, .managerChanged, .personAdded, .personRemoved].contains(self)
    }
}

/// One change between two states of the graph: a row of `diff.csv`.
public struct DiffChange: Sendable, Hashable {
    /// What changed.
    public var kind: ChangeKind
    /// The source instance (a roster source for a person's change).
    public var source: String
    /// The account's id in the source; empty for a roster person or a whole source.
    public var accountID: String = ""
    /// The account's email as the source gives it (a person's, as the roster gives it).
    public var email: String?
    /// The roster person the account joins (a person's canonical email).
    public var personEmail: String?
    /// The container's name, for a membership or a role in a container.
    public var container: String?
    /// The value before; empty when there was none.
    public var before: String = ""
    /// The value after; empty when there is none.
    public var after: String = ""
    /// The campaign's decision on the account, when the earlier side is a campaign.
    public var decision: String?
    /// The reason given for the decision.
    public var reason: String?
    /// Who decided.
    public var decidedBy: String?

    /// Creates a change.
    public init(
        kind: ChangeKind, source: String, accountID: String = "", email: String? = nil, personEmail: String? = nil,
        container: String? = nil, before: String = "", after: String = ""
    ) {
        self.kind = kind
        self.source = source
        self.accountID = accountID
        self.email = email
        self.personEmail = personEmail
        self.container = container
        self.before = before
        self.after = after
    }
}
