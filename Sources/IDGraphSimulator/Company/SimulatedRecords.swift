import Foundation

/// The status idgraph must derive for an account under the README, "Account status, per source".
public enum ExpectedStatus: String, Sendable, Hashable {
    /// Live account.
    case active
    /// Invited, not yet accepted (a Streak invitation still `Pending`).
    case invited
    /// Deactivated, suspended or soft-deleted.
    case inactive
}

/// Who is behind an account, as idgraph must classify it (`account_type`).
public enum ExpectedAccountType: String, Sendable, Hashable {
    /// A person's own account.
    case human
    /// ProcessMaker `is_system`, Streak `userType` AGENT.
    case service
    /// Procore `is_employee: false`, ProofHub role Client.
    case external
}

/// A permission template of the simulated Procore company (`{id, name}` on the wire).
public struct ProcoreTemplate: Sendable, Hashable {
    /// The template id.
    public var id: Int
    /// The template name.
    public var name: String
}

/// One user account as a simulated system serves it, plus what idgraph should make of it.
///
/// The raw fields (`email`, `login`, `role`, `rawStatus`, timestamps) are exactly what goes on the
/// wire; `expectedStatus`, `isAdmin` and `personEmail` are the answers a correct collector and
/// resolver reach, so tests can compare a collected graph with what was served.
public struct SimulatedAccount: Sendable, Hashable {
    /// The account id as the system writes it (numbers are kept as their decimal text).
    public var id: String
    /// The email field as served, untouched (spaces, case, NFD…); nil when the key is null.
    /// For Procore this is `email_address`.
    public var email: String?
    /// Procore `login` (nil elsewhere).
    public var login: String?
    /// Display name (untrusted text).
    public var name: String
    /// First name, for systems that split names.
    public var firstName: String
    /// Last name, for systems that split names.
    public var lastName: String
    /// The system's role name: ProofHub's role (served as `{"id": N}` and named by `/roles`), Streak's team
    /// role (`Owner`, `Member`, `PayerOnly`, `ArchiveOnly`), Procore's company permission template; nil elsewhere.
    public var role: String?
    /// The status as served: ProcessMaker `status` (`ACTIVE`, `INACTIVE`, `SCHEDULED`, `OUT_OF_OFFICE`,
    /// `BLOCKED`); Streak `inviteStatus` (`Pending`, `Accepted`); nil where the system has a flag instead.
    public var rawStatus: String?
    /// Procore company-level `company_permission_template`.
    public var companyTemplate: ProcoreTemplate?
    /// Process Street: the SCIM user id (by default not the v1.1 id).
    public var scimID: String?
    /// ProcessMaker `is_system`: listed by no `/users` response (the vendor hides system users).
    public var isSystem: Bool
    /// Who is behind the account, as idgraph must classify it.
    public var accountType: ExpectedAccountType
    /// Creation time and its wire form.
    public var created: SimulatedTimestamp
    /// Last activity (Streak `lastSeenTimestamp`, ProcessMaker `active_at`, ProofHub `last_active`,
    /// Procore `last_login_at`); `.missing` for Process Street.
    public var lastSeen: SimulatedTimestamp
    /// The status idgraph must derive.
    public var expectedStatus: ExpectedStatus
    /// Whether idgraph must treat the account as an admin (Procore: by its permission template).
    public var isAdmin: Bool
    /// The canonical email idgraph must compute (the README, "Identity resolution"), or nil without an email.
    public var canonicalEmail: String?
    /// The conditions this account was planted for (empty for ordinary accounts).
    public var planted: Set<PlantedCondition>
}

/// A group, project or organization in one system.
public struct SimulatedContainer: Sendable, Hashable {
    /// The id as served.
    public var id: String
    /// The name (untrusted text).
    public var name: String
    /// `group`, `project` or `organization`, as the `containers` view names them.
    public var type: String
    /// ProcessMaker: the group this group is nested in (served as a `ProcessMaker\Models\Group` member).
    public var parentID: String?
}

/// A direct membership of an account in a container.
public struct SimulatedMembership: Sendable, Hashable {
    /// The container id.
    public var containerID: String
    /// The account id.
    public var accountID: String
    /// The role idgraph must store: ProofHub `manager` for a project's manager, Streak's team role,
    /// Procore's project permission template name.
    public var role: String?
    /// Procore project `permission_template`.
    public var template: ProcoreTemplate?
}

/// A ProcessMaker personal access token as `GET /users/{id}/tokens` lists it (a Passport token row:
/// never the token itself).
public struct SimulatedCredential: Sendable, Hashable {
    /// The token id (40 hex digits).
    public var id: String
    /// The owner's user id.
    public var userID: String
    /// The name its owner gave it.
    public var name: String
    /// When it was made.
    public var created: Date
    /// When it expires; nil for none.
    public var expires: Date?
    /// Whether it was revoked.
    public var revoked: Bool
    /// Whether `token-of-inactive-user` must flag it (with `collect_tokens: true`).
    public var flagged: Bool
}

/// Everything one system serves: its users, containers and memberships.
public struct SystemRecords: Sendable {
    /// The users, in the order the system lists them.
    public var accounts: [SimulatedAccount] = []
    /// Groups, projects or the organization.
    public var containers: [SimulatedContainer] = []
    /// Direct memberships. Streak lists every user as a member of its team.
    public var memberships: [SimulatedMembership] = []
    /// ProcessMaker personal access tokens (`GET /users/{id}/tokens`).
    public var credentials: [SimulatedCredential] = []

    /// The accounts the system's user listings show (ProcessMaker hides its system users).
    public var listedAccounts: [SimulatedAccount] { accounts.filter { !$0.isSystem } }
}

/// A person in the HR roster CSV.
public struct RosterPerson: Sendable, Hashable {
    /// The email as written in the roster (may be non-canonical on purpose).
    public var email: String
    /// Full name (untrusted text).
    public var name: String
    /// Department.
    public var department: String
    /// The manager's email (a roster person), empty for the top of the tree.
    public var managerEmail: String
    /// `active` or `terminated`.
    public var status: String
    /// `YYYY-MM-DD` for terminated people, empty otherwise.
    public var terminationDate: String
}
