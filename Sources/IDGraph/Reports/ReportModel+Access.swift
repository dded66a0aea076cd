import Foundation
import GRDB

extension ReportModel {
    /// Every account, joined to its roster person and grouped by that person's
    /// manager; accounts that join no person are grouped by canonical email.
    static func access(_ db: Database, findings: [Finding]) throws -> ([ReviewerGroup], [PersonAccess]) {
        var findingsByAccount: [AccountKey: [Finding]] = [:]
        for finding in findings {
            findingsByAccount[AccountKey(source: finding.source, accountID: finding.accountID), default: []]
                .append(finding)
        }
        var containers: [AccountKey: [String]] = [:]
        let memberships = try Row.fetchCursor(
            db,
            sql: """
                SELECT m.source, m.account_id, coalesce(k.name, m.container_id) AS name
                FROM memberships m
                LEFT JOIN containers k ON k.source = m.source AND k.container_id = m.container_id
                ORDER BY m.source, m.account_id, name
                """)
        while let row = try memberships.next() {
            containers[AccountKey(source: row["source"], accountID: row["account_id"]), default: []].append(row["name"])
        }

        struct PersonRow {
            var name: String?
            var department: String?
            var manager: String?
            var status: String
        }
        var people: [String: PersonRow] = [:]
        for row in try Row.fetchAll(
            db, sql: "SELECT email, name, department, manager_email, status FROM people ORDER BY source DESC")
        {
            people[row["email"]] = PersonRow(
                name: row["name"], department: row["department"], manager: row["manager_email"], status: row["status"])
        }

        var byPerson: [String: PersonAccess] = [:]
        var unmatchedByEmail: [String: PersonAccess] = [:]
        let accounts = try Row.fetchCursor(
            db,
            sql: """
                SELECT source, account_id, email, canonical_email, name, role, is_admin, status, last_seen, created,
                       person_email, stale
                FROM accounts ORDER BY source, account_id
                """)
        while let row = try accounts.next() {
            let key = AccountKey(source: row["source"], accountID: row["account_id"])
            let account = AccountAccess(
                source: key.source, accountID: key.accountID, email: row["email"], name: row["name"], role: row["role"],
                isAdmin: row["is_admin"] ?? false, status: row["status"], lastSeen: row["last_seen"],
                created: row["created"], containers: containers[key] ?? [], stale: row["stale"] ?? false,
                findings: findingsByAccount[key] ?? [])
            let personEmail: String? = row["person_email"]
            if let personEmail, let person = people[personEmail] {
                byPerson[personEmail, default: PersonAccess(
                    email: personEmail, name: person.name, department: person.department,
                    rosterStatus: person.status, accounts: [])].accounts.append(account)
            } else {
                let canonical: String? = row["canonical_email"]
                // Accounts with no email cannot be one person with anything else.
                let groupKey = canonical ?? "\u{0}\(key.source)\u{0}\(key.accountID)"
                unmatchedByEmail[groupKey, default: PersonAccess(
                    email: canonical, name: nil, department: nil, rosterStatus: nil, accounts: [])]
                    .accounts.append(account)
            }
        }

        var groups: [String: [PersonAccess]] = [:]
        for (email, access) in byPerson {
            groups[people[email]?.manager ?? "", default: []].append(access)
        }
        let reviewers = groups.map { manager, members in
            ReviewerGroup(
                reviewerEmail: manager.isEmpty ? nil : manager, reviewerName: people[manager]?.name,
                people: members.sorted(by: Self.personOrder))
        }
        .sorted { lhs, rhs in
            // People with no manager come last, after every named reviewer.
            switch (lhs.reviewerEmail, rhs.reviewerEmail) {
            case (nil, _): false
            case (_, nil): true
            case (let l?, let r?):
                ((lhs.reviewerName ?? l).lowercased(), l) < ((rhs.reviewerName ?? r).lowercased(), r)
            }
        }
        let unmatched = unmatchedByEmail.values.sorted(by: Self.personOrder)
        return (reviewers, unmatched)
    }

    private static func personOrder(_ lhs: PersonAccess, _ rhs: PersonAccess) -> Bool {
        let l = ((lhs.name ?? lhs.email ?? "").lowercased(), lhs.email ?? "", lhs.accounts.first?.accountID ?? "")
        let r = ((rhs.name ?? rhs.email ?? "").lowercased(), rhs.email ?? "", rhs.accounts.first?.accountID ?? "")
        return l < r
    }
}

/// An account's identity across the report: its source and id.
struct AccountKey: Hashable {
    var source: String
    var accountID: String
}
