import Foundation
import GRDB

/// The status of an account in its source (the README, "Account status, per source").
public enum AccountStatus: String, Sendable, CaseIterable {
    case active
    case invited
    /// Deactivated, suspended, soft-deleted: everything that is neither active nor invited.
    case inactive
}

/// Who is behind an account: a person, a machine, or someone from outside the company.
public enum AccountType: String, Sendable, CaseIterable {
    /// A person's own account.
    case human
    /// A system, integration or agent account (ProcessMaker `is_system`, Streak `userType` AGENT).
    case service
    /// A person from outside the company (Procore `is_employee: false`, ProofHub role Client).
    case external
}

/// One account in one source, as a collector maps it from the API.
///
/// The canonical email is not a field: the store computes it once, when the
/// account is written, with the configuration's domain aliases.
public struct Account: Sendable, Hashable {
    /// The source's own id for the account.
    public var accountID: String
    /// The email as the source gave it.
    public var email: String?
    /// The display name.
    public var name: String?
    /// The source's role name, as given.
    public var role: String?
    /// Whether the role is an administrator's.
    public var isAdmin: Bool
    /// Active, invited or inactive.
    public var status: AccountStatus
    /// The last recorded activity, for sources that report one.
    public var lastSeen: Date?
    /// When the account was created.
    public var created: Date?
    /// Human, service or external.
    public var accountType: AccountType
    /// Date fields the source sent that are no date idgraph can read, each stored as unknown (not
    /// stored themselves: they are counted for the collect summary's warning).
    public var unreadableDates: [UnreadableDate] = []

    /// Creates an account.
    public init(
        accountID: String, email: String?, name: String?, role: String? = nil, isAdmin: Bool = false,
        status: AccountStatus, lastSeen: Date? = nil, created: Date? = nil, accountType: AccountType = .human
    ) {
        self.accountType = accountType
        self.accountID = accountID
        self.email = email
        self.name = name
        self.role = role
        self.isAdmin = isAdmin
        self.status = status
        self.lastSeen = lastSeen
        self.created = created
    }

    private enum CodingKeys: String, CodingKey {
        case accountID, email, name, role, isAdmin, status, lastSeen, created, accountType
    }
}

/// A group, project or organization that accounts are members of.
public struct Container: Sendable, Hashable {
    /// What kind of container it is.
    public enum Kind: String, Sendable {
        case group, project, organization
    }
    /// The source's own id.
    public var containerID: String
    /// Group, project or organization.
    public var type: Kind
    /// The display name.
    public var name: String?

    /// Creates a container.
    public init(containerID: String, type: Kind, name: String?) {
        self.containerID = containerID
        self.type = type
        self.name = name
    }
}

/// A direct membership of an account in a container.
public struct Membership: Sendable, Hashable {
    /// The container's id.
    public var containerID: String
    /// The account's id.
    public var accountID: String
    /// The role within the container (a project role, a permission template), if any.
    public var role: String?

    /// Creates a membership.
    public init(containerID: String, accountID: String, role: String? = nil) {
        self.containerID = containerID
        self.accountID = accountID
        self.role = role
    }
}

/// A container nested in another: its members inherit the parent's access.
public struct ContainerEdge: Sendable, Hashable {
    /// The containing container.
    public var parentID: String
    /// The contained container.
    public var childID: String

    /// Creates an edge from `parentID` to `childID`.
    public init(parentID: String, childID: String) {
        self.parentID = parentID
        self.childID = childID
    }
}

// MARK: - Database

extension AccountStatus: DatabaseValueConvertible {}
extension AccountType: DatabaseValueConvertible {}
extension Container.Kind: DatabaseValueConvertible {}
