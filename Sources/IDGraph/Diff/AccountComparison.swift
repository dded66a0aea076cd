/// An account as one side of a diff holds it, whether the side is a
/// snapshot's rows or a campaign's frozen items.
struct AccountState: Sendable, Hashable {
    var accountID: String
    var email: String?
    var canonicalEmail: String?
    var personEmail: String?
    var role: String?
    var isAdmin: Bool
    var status: String
    /// Direct memberships by the key they are compared on: the container id
    /// between two snapshots, the name when one side is a campaign (its items
    /// keep names only).
    var memberships: [String: MembershipState]

    /// The account in a few words, for a joiner's `after` or a leaver's `before`:
    /// `active, role Owner, admin, member of Ops; Sales`.
    var summary: String {
        var parts = [status]
        if let role, !role.isEmpty { parts.append("role \(role)") }
        if isAdmin { parts.append("admin") }
        if !memberships.isEmpty {
            parts.append("member of " + memberships.values.map(\.name).sorted().joined(separator: "; "))
        }
        return parts.joined(separator: ", ")
    }
}

/// A direct membership as one side of a diff holds it.
struct MembershipState: Sendable, Hashable {
    /// The container's name (its id when it has none).
    var name: String
    /// The role in the container; `nil` when unknown (a campaign keeps none).
    var role: String?
}

/// Compares one source's accounts, or one roster's people, between the two
/// sides of a diff.
enum AccountComparison {
    /// The changes of source `source`'s accounts from `before` to `after`.
    ///
    /// A joiner or leaver is one row with the whole account in `after` or
    /// `before`; its memberships and role are not repeated as rows, but an
    /// admin joiner is also a `new-admin` and an admin leaver a
    /// `removed-admin`, so the list of admin changes is complete on its own.
    /// Roles within a container are compared only when both sides know them
    /// (`compareMembershipRoles`).
    static func changes(
        source: String, before: [AccountState], after: [AccountState], compareMembershipRoles: Bool
    ) -> [DiffChange] {
        var earlier: [String: AccountState] = [:]
        for account in before { earlier[account.accountID] = account }
        var changes: [DiffChange] = []
        for new in after {
            let old = earlier.removeValue(forKey: new.accountID)
            func change(_ kind: ChangeKind, container: String? = nil, before: String = "", after: String = "") {
                changes.append(DiffChange(
                    kind: kind, source: source, accountID: new.accountID, email: new.email ?? old?.email,
                    personEmail: new.personEmail ?? old?.personEmail, container: container, before: before, after: after))
            }
            guard let old else {
                change(.joiner, after: new.summary)
                if new.isAdmin { change(.newAdmin, after: "admin") }
                continue
            }
            if old.status != new.status {
                let kind: ChangeKind =
                    old.status == "inactive" ? .reactivated : new.status == "inactive" ? .deactivated : .statusChanged
                change(kind, before: old.status, after: new.status)
            }
            if old.isAdmin != new.isAdmin {
                change(new.isAdmin ? .newAdmin : .removedAdmin, before: old.isAdmin ? "admin" : "", after: new.isAdmin ? "admin" : "")
            }
            if (old.role ?? "") != (new.role ?? "") {
                change(.roleChanged, before: old.role ?? "", after: new.role ?? "")
            }
            if old.canonicalEmail != new.canonicalEmail {
                change(.emailChanged, before: old.email ?? "", after: new.email ?? "")
            }
            for key in new.memberships.keys.sorted() {
                let membership = new.memberships[key]!
                guard let was = old.memberships[key] else {
                    change(.membershipAdded, container: membership.name, after: membership.role ?? "")
                    continue
                }
                if compareMembershipRoles, (was.role ?? "") != (membership.role ?? "") {
                    change(.roleChanged, container: membership.name, before: was.role ?? "", after: membership.role ?? "")
                }
            }
            for key in old.memberships.keys.sorted() where new.memberships[key] == nil {
                let membership = old.memberships[key]!
                change(.membershipRemoved, container: membership.name, before: membership.role ?? "")
            }
        }
        for old in before where earlier[old.accountID] != nil {
            func change(_ kind: ChangeKind, before: String) {
                changes.append(DiffChange(
                    kind: kind, source: source, accountID: old.accountID, email: old.email, personEmail: old.personEmail,
                    before: before))
            }
            change(.leaver, before: old.summary)
            if old.isAdmin { change(.removedAdmin, before: "admin") }
        }
        return changes
    }

    /// The changes of roster `source`'s people from `before` to `after`, by canonical email.
    static func changes(roster source: String, before: [GraphStore.RunPerson], after: [GraphStore.RunPerson]) -> [DiffChange] {
        var earlier: [String: GraphStore.RunPerson] = [:]
        for person in before { earlier[person.email] = person }
        var changes: [DiffChange] = []
        for new in after {
            func change(_ kind: ChangeKind, before: String = "", after: String = "") {
                changes.append(DiffChange(
                    kind: kind, source: source, email: new.givenEmail, personEmail: new.email, before: before, after: after))
            }
            guard let old = earlier.removeValue(forKey: new.email) else {
                change(.personAdded, after: describe(new))
                continue
            }
            let wasActive = old.status == "active", isActive = new.status == "active"
            if wasActive != isActive {
                change(isActive ? .rehired : .terminated, before: describe(old), after: describe(new))
            }
            if (old.managerEmail ?? "") != (new.managerEmail ?? "") {
                change(.managerChanged, before: old.managerEmail ?? "", after: new.managerEmail ?? "")
            }
        }
        for old in before where earlier[old.email] != nil {
            changes.append(DiffChange(
                kind: .personRemoved, source: source, email: old.givenEmail, personEmail: old.email, before: describe(old)))
        }
        return changes
    }

    /// A person's status with the termination date, when there is one: `terminated 2025-05-01`.
    private static func describe(_ person: GraphStore.RunPerson) -> String {
        guard person.status != "active", let day = person.terminationDate, !day.isEmpty else { return person.status }
        return "\(person.status) \(day)"
    }
}
