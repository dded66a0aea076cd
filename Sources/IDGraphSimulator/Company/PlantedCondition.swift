/// A condition the generator plants on purpose, so the rules and the resolver can be checked against it.
///
/// Each case says what a correct idgraph must conclude; `Company.accounts(planted:)` finds them.
public enum PlantedCondition: String, Sendable, Hashable, CaseIterable {
    // inactive rule
    /// Last activity long before as-of: `inactive` must flag it.
    case inactiveOldActivity
    /// No activity recorded and created long ago: the creation date decides, `inactive` flags it.
    case inactiveNeverSeenOld
    /// No activity recorded but created recently: `inactive` must not flag it.
    case neverSeenRecentlyCreated
    /// An inactive admin: `inactive` with high severity.
    case inactiveAdmin
    /// Recent activity: nothing to flag.
    case recentlyActive

    // orphaned rule
    /// The roster says terminated but the account is live: `orphaned`.
    case terminatedWithLiveAccount
    /// A contractor at an outside domain, unknown to the roster: `orphaned`.
    case unknownContractor
    /// A service bot at the company domain, not a roster person: `orphaned`.
    case serviceBot
    /// An account with no email at all: joins nobody, `orphaned`.
    case noEmail
    /// Must NOT join: `jane.doe@acme.co` (another TLD).
    case lookalikeOtherTLD
    /// Must NOT join: `jane.doe@acrne.com` (typo-squatted domain).
    case lookalikeTyposquattedDomain
    /// Must NOT join: `janedoe@acme.com` (missing dot).
    case lookalikeMissingDot
    /// Must NOT join: `jane.doe@acme.com.au` (extra suffix).
    case lookalikeExtraSuffix
    /// Must NOT join: `jose.garcia@acme.com` for roster `josé.garcía@acme.com` (accent dropped).
    case lookalikeWithoutAccent
    /// Must join: `Dana.Whitfield@ACME.COM` (case).
    case joinsDespiteCase
    /// Must join: leading and trailing spaces.
    case joinsDespiteSpaces
    /// Must join: a leading tab.
    case joinsDespiteTab
    /// Must join: the email in Unicode NFD (decomposed accents).
    case joinsDespiteNFD
    /// Must join: `@acme.io`, an alias of `acme.com` in `domain_aliases`.
    case joinsViaAliasDomain
    /// The roster row itself is non-canonical (case, spaces); the account must still join.
    case joinsNonCanonicalRosterEntry
    /// Procore `email_address` is null; `login` carries the email and must be used.
    case joinsViaProcoreLogin
    /// A re-hired person (a terminated and an active roster row): not orphaned.
    case rehiredPerson

    // over-privileged rule
    /// An admin listed in `approved_admins`: not flagged.
    case approvedAdmin
    /// An admin missing from `approved_admins`: `over-privileged`.
    case unapprovedAdmin

    // stale-invite rule
    /// Invited long ago: `stale-invite`.
    case staleInvitation
    /// Invited recently: not flagged.
    case freshInvitation

    // deactivated-with-access rule
    /// Deactivated but still in a group or project: `deactivated-with-access`.
    case deactivatedWithMemberships
    /// Deactivated and in nothing: not flagged.
    case deactivatedWithoutMemberships
    /// Procore user with `is_active: false` who keeps project memberships.
    case procoreInactiveKeepsProjects
    /// ProofHub person with `suspended: true` who is still assigned to projects: `deactivated-with-access`.
    case suspendedWithProjects

    // account status and type, per vendor
    /// ProcessMaker `OUT_OF_OFFICE` user not seen for long: still active, so `inactive` flags it.
    case outOfOfficeInactive
    /// ProcessMaker `BLOCKED` user (locked out after failed logins): still active, nothing to flag.
    case blockedUser
    /// ProcessMaker system user (`is_system`): `GET /users` does not list it, so it is not in the graph.
    case processMakerSystemUser
    /// Streak team member with role ArchiveOnly: inactive; the team is the tenant, so no finding.
    case streakArchived
    /// Streak team member with role PayerOnly: active, not an admin.
    case streakPayerOnly
    /// Streak member with `userType` AGENT: a service account, `non-human-access`, never `orphaned`.
    case streakAgent
    /// Procore user with `is_employee: false` (a vendor's person): external, `non-human-access`.
    case procoreVendorUser
    /// ProofHub person with role Client: external, `non-human-access`.
    case proofHubClient

    // untrusted text
    /// A name that tries HTML/script injection, attribute break-out, a spreadsheet formula,
    /// quotes and commas, or uses a non-Latin script.
    case untrustedName
}
