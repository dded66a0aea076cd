import Foundation
import GRDB

/// An account and the roster person it belongs to, as every list of access shows them: the
/// access list's rows and a campaign's frozen items.
public struct AccountAccess: Sendable, Hashable {
    /// The source instance.
    public var source: String
    /// The source's id of the account.
    public var accountID: String
    /// The email as the source gave it.
    public var email: String?
    /// The display name in the source.
    public var name: String?
    /// The roster person's canonical email; `nil` when the account joins nobody.
    public var personEmail: String?
    /// The roster person's name.
    public var personName: String?
    /// The roster person's department.
    public var department: String?
    /// The roster person's status (`active`, `terminated`, …).
    public var rosterStatus: String?
    /// The roster person's manager, who reviews the access.
    public var managerEmail: String?
    /// The source's role name.
    public var role: String?
    /// Whether the account is an administrator.
    public var isAdmin: Bool
    /// `active`, `invited` or `inactive`.
    public var status: String
    /// The last activity the source reported.
    public var lastSeen: String?
    /// When the account was created.
    public var created: String?
    /// The names of the containers it is a direct member of, in name order.
    public var memberships: [String]
    /// `human`, `service` or `external`, as the source says.
    public var accountType: String?
}

/// One row of the access list: a current account, the roster person its
/// canonical email joins, and what the account can reach; the ``AccountAccess``
/// members are read as the row's own.
///
/// Every report that lists access (`accounts.csv`, both sizes of the access
/// review page, a campaign's items and worksheets) takes its rows from
/// ``AccessList``, so they show the same rows in the same order.
@dynamicMemberLookup
public struct AccessRow: Sendable, Hashable {
    /// The account and its person.
    public var access: AccountAccess
    /// The email as idgraph joins it.
    public var canonicalEmail: String?
    /// The manager's name, when the same roster lists them.
    public var managerName: String?
    /// Whether the source's last collection failed, so this is its last good data.
    public var stale: Bool
    /// The findings of the review on this account.
    public var findings: [Finding]

    /// A member of ``access``.
    public subscript<Value>(dynamicMember member: KeyPath<AccountAccess, Value>) -> Value { access[keyPath: member] }
}

/// The one producer of access rows, and the one order they are listed in.
///
/// The order: roster people by reviewer (their manager: managers the roster
/// names first, by name; then managers it does not list, by email; then
/// people with no manager), each reviewer's people by name; then accounts
/// that join no roster person, by canonical email in byte order; then
/// accounts with no email. A person's accounts, and an email's, are listed by
/// source name, then account id.
enum AccessList {
    /// Every current account as a row, in list order, each with its findings.
    static func rows(_ db: Database, findings: [Finding]) throws -> [AccessRow] {
        var findingsByAccount: [AccountKey: [Finding]] = [:]
        for finding in findings {
            findingsByAccount[AccountKey(source: finding.source, accountID: finding.accountID), default: []]
                .append(finding)
        }
        let scan = try AccountScan(db)
        var order = AccessOrder(peopleCount: scan.peopleCount)
        var rows: [AccessRow] = []
        try scan.forEach(db) { account in
            order.add(account)
            rows.append(row(account, findings: findingsByAccount[AccountKey(source: account.source.name, accountID: account.accountID)] ?? []))
        }
        return order.listOrder().map { rows[Int($0)] }
    }

    /// The row of `account`.
    static func row(_ account: AccountScan.Account, findings: [Finding]) -> AccessRow {
        typealias Column = AccountScan.Column
        func text(_ column: Int) -> String? {
            account.bytes(column).map { String(decoding: $0, as: UTF8.self) }
        }
        let access = AccountAccess(
            source: account.source.name, accountID: account.accountID, email: text(Column.email),
            name: text(Column.name), personEmail: account.person?.email, personName: account.person?.name,
            department: account.person?.department, rosterStatus: account.person?.status,
            managerEmail: account.person?.managerEmail, role: text(Column.role), isAdmin: account.isAdmin,
            status: text(Column.status) ?? "", lastSeen: text(Column.lastSeen), created: text(Column.created),
            memberships: account.containers.map { account.containerNames.names[$0] },
            accountType: text(Column.accountType))
        return AccessRow(
            access: access, canonicalEmail: account.canonicalEmail, managerName: account.person?.managerName,
            stale: account.source.stale, findings: findings)
    }
}

/// The list order of rows read in scan order (``AccountScan/forEach(_:_:)``):
/// each row's place is kept as a small key, and the order is a stable
/// counting sort of the keys, so a million rows are ordered without holding them.
struct AccessOrder: Sendable {
    /// How many roster people the scan ranked.
    let peopleCount: Int
    /// Each row's key: its person's rank; -2 minus the number of its canonical
    /// email among ``unmatchedEmails`` when it joins no person; -1 with no email.
    private var keys: [Int32] = []
    private var unmatched: [String: Int32] = [:]
    private var unmatchedEmails: [String] = []

    init(peopleCount: Int) {
        self.peopleCount = peopleCount
    }

    /// How many rows were added.
    var count: Int { keys.count }

    /// Adds the next row of the scan.
    mutating func add(_ account: AccountScan.Account) {
        if let person = account.person {
            keys.append(Int32(person.rank))
        } else if let email = account.canonicalEmail {
            let number: Int32
            if let known = unmatched[email] {
                number = known
            } else {
                number = Int32(unmatchedEmails.count)
                unmatched[email] = number
                unmatchedEmails.append(email)
            }
            keys.append(-2 - number)
        } else {
            keys.append(-1)
        }
    }

    /// The row numbers in list order.
    func listOrder() -> [Int32] {
        let sortedEmails = unmatchedEmails.indices.sorted { AccountScan.precedes(unmatchedEmails[$0], unmatchedEmails[$1]) }
        var place = [Int](repeating: 0, count: unmatchedEmails.count)
        for (position, number) in sortedEmails.enumerated() { place[number] = position }
        let noEmailBucket = peopleCount + unmatchedEmails.count
        func bucket(_ key: Int32) -> Int {
            key >= 0 ? Int(key) : (key == -1 ? noEmailBucket : peopleCount + place[Int(-2 - key)])
        }
        var starts = [Int](repeating: 0, count: noEmailBucket + 2)
        for key in keys { starts[bucket(key) + 1] += 1 }
        for position in 1..<starts.count { starts[position] += starts[position - 1] }
        var order = [Int32](repeating: 0, count: keys.count)
        for (row, key) in keys.enumerated() {
            let b = bucket(key)
            order[starts[b]] = Int32(row)
            starts[b] += 1
        }
        return order
    }
}

/// An account's identity across the reports: its source and id.
struct AccountKey: Hashable {
    var source: String
    var accountID: String
}
