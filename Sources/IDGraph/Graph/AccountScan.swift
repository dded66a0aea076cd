import Foundation
import GRDB
import GRDBSQLite

/// Every current account with its roster person and its direct memberships,
/// read in one pass: source by source (in name order), each source's accounts
/// in primary-key order, with a second cursor walking that source's
/// memberships in the same order beside them.
///
/// The reports need each account joined to two other tables. Asking SQLite
/// for the joins row by row costs several index look-ups per account; this
/// reads each table once, in the order it is stored. The roster people and a
/// source's container names are held in memory (one entry per person, and per
/// container of the source being read); the accounts are never held.
struct AccountScan {
    /// A roster person as the reports show them.
    struct Person {
        var email: String
        var name: String?
        var department: String?
        var status: String
        var managerEmail: String?
        var managerName: String?
        /// Where the access list puts them: by reviewer (their manager), then
        /// by name; 0 is first.
        var rank: Int
    }

    /// A current source run.
    struct Source {
        var name: String
        var runID: Int64
        var stale: Bool
    }

    /// One account, valid only during the call it is passed to.
    struct Account {
        /// The source it belongs to.
        var source: Source
        /// The statement positioned on the account's row, columns in
        /// ``Column`` order; read through ``bytes(_:)``.
        var statement: SQLiteStatement
        var accountID: String
        var canonicalEmail: String?
        /// The roster person its canonical email joins, if any.
        var person: Person?
        /// The containers it is a direct member of, as positions in
        /// ``containerNames``, in the order of their names.
        var containers: [Int]
        /// The names of the source's containers.
        var containerNames: ContainerNames

        /// Column `column`'s bytes as SQLite holds them (UTF-8 text, an
        /// integer as SQLite prints it), read in place; `nil` for NULL.
        func bytes(_ column: Int) -> UnsafeBufferPointer<UInt8>? {
            let column = Int32(column)
            guard sqlite3_column_type(statement, column) != SQLITE_NULL else { return nil }
            guard let text = sqlite3_column_text(statement, column) else {
                return UnsafeBufferPointer(start: nil, count: 0)
            }
            return UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(statement, column)))
        }

        /// Whether the account is an admin.
        var isAdmin: Bool { sqlite3_column_int64(statement, Int32(Column.isAdmin)) != 0 }
    }

    /// A source's container names (the id where a container has no name),
    /// sorted in byte order so that positions sort as names do; ids that
    /// memberships name but the source did not list are added at the end.
    final class ContainerNames {
        private(set) var names: [String] = []
        private var positions: [String: Int] = [:]
        /// How many of ``names`` are in byte order; the ones after were added.
        private let sortedCount: Int

        init(_ db: Database, runID: Int64) throws {
            var named: [(id: String, name: String)] = []
            for row in try Row.fetchAll(
                db, sql: "SELECT container_id, name FROM container WHERE source_run_id = ?", arguments: [runID])
            {
                let id: String = row[0]
                named.append((id, row[1] ?? id))
            }
            named.sort { AccountScan.compare($0.name, $1.name) < 0 }
            for (position, container) in named.enumerated() {
                positions[container.id] = position
                names.append(container.name)
            }
            sortedCount = names.count
        }

        /// The position of container `id`, adding it when the source did not list it.
        func position(of id: String) -> Int {
            if let position = positions[id] { return position }
            positions[id] = names.count
            names.append(id)
            return names.count - 1
        }

        /// Sorts `positions` in the order of their names.
        func sort(_ positions: inout [Int]) {
            if positions.allSatisfy({ $0 < sortedCount }) {
                positions.sort()
            } else {
                positions.sort { AccountScan.compare(names[$0], names[$1]) < 0 }
            }
        }
    }

    /// The columns of ``Account/statement``.
    enum Column {
        static let accountID = 0
        static let email = 1
        static let canonicalEmail = 2
        static let name = 3
        static let role = 4
        static let isAdmin = 5
        static let status = 6
        static let lastSeen = 7
        static let created = 8
        static let accountType = 9
    }

    /// The roster people by canonical email, each once: from the first current
    /// roster, by source name, that lists them (as the `people` view orders
    /// them), ranked by reviewer (their manager, named as the same roster names
    /// them), then by name.
    let people: [String: Person]
    /// How many people ``people`` holds; ranks are `0..<peopleCount`.
    var peopleCount: Int { people.count }

    static let peopleSQL = """
        SELECT p.email, p.name, p.department, p.status, p.manager_email, mgr.name AS manager_name
        FROM current_source_runs c
        JOIN person p ON p.source_run_id = c.source_run_id
        LEFT JOIN person mgr ON mgr.source_run_id = p.source_run_id AND mgr.email = p.manager_email
        WHERE p.source_run_id = (SELECT q.source_run_id FROM person q
                                 JOIN current_source_runs r ON r.source_run_id = q.source_run_id
                                 WHERE q.email = p.email ORDER BY r.source LIMIT 1)
        ORDER BY p.manager_email IS NULL, mgr.name IS NULL, lower(mgr.name), p.manager_email,
                 lower(coalesce(p.name, p.email)), p.email
        """

    /// Reads the roster people of `db`.
    init(_ db: Database) throws {
        var people: [String: Person] = [:]
        people.reserveCapacity(
            try Int.fetchOne(
                db, sql: "SELECT count(*) FROM person WHERE source_run_id IN (SELECT source_run_id FROM current_source_runs)")
                ?? 0)
        let rows = try Row.fetchCursor(db, sql: Self.peopleSQL)
        while let row = try rows.next() {
            let email: String = row[0]
            people[email] = Person(
                email: email, name: row[1], department: row[2], status: row[3], managerEmail: row[4],
                managerName: row[5], rank: people.count)
        }
        self.people = people
    }

    /// The current source runs, in source-name order.
    static func sources(_ db: Database) throws -> [Source] {
        try Row.fetchAll(db, sql: "SELECT source, source_run_id, stale FROM current_source_runs ORDER BY source").map {
            Source(name: $0[0], runID: $0[1], stale: $0[2] ?? false)
        }
    }

    /// Calls `body` with every current account.
    func forEach(_ db: Database, _ body: (Account) throws -> Void) throws {
        let accounts = try db.makeStatement(
            sql: """
                SELECT account_id, email, canonical_email, name, role, is_admin, status, last_seen, created,
                       account_type
                FROM account WHERE source_run_id = ? ORDER BY account_id
                """)
        // membership_by_account holds (source_run_id, account_id, container_id): no table look-up.
        let memberships = try db.makeStatement(
            sql: "SELECT account_id, container_id FROM membership WHERE source_run_id = ? ORDER BY account_id")
        for source in try Self.sources(db) {
            let names = try ContainerNames(db, runID: source.runID)
            let members = try Row.fetchCursor(memberships, arguments: [source.runID])
            var pending: (accountID: String, containerID: String)?
            func nextMembership() throws -> (accountID: String, containerID: String)? {
                guard let row = try members.next() else { return nil }
                return (row[0], row[1])
            }
            pending = try nextMembership()
            let rows = try Row.fetchCursor(accounts, arguments: [source.runID])
            while let row = try rows.next() {
                let accountID: String = row[Column.accountID]
                var containers: [Int] = []
                // Memberships of accounts the source did not list are skipped, as the joins skip them.
                var order = pending.map { Self.compare($0.accountID, accountID) } ?? 1
                while order < 0 {
                    pending = try nextMembership()
                    order = pending.map { Self.compare($0.accountID, accountID) } ?? 1
                }
                while order == 0, let membership = pending {
                    containers.append(names.position(of: membership.containerID))
                    pending = try nextMembership()
                    order = pending.map { Self.compare($0.accountID, accountID) } ?? 1
                }
                if containers.count > 1 { names.sort(&containers) }
                let canonical: String? = row[Column.canonicalEmail]
                try body(
                    Account(
                        source: source, statement: accounts.sqliteStatement, accountID: accountID, canonicalEmail: canonical,
                        person: canonical.flatMap { people[$0] }, containers: containers, containerNames: names))
            }
        }
    }

    /// SQLite's BINARY order of two strings: their UTF-8 bytes compared;
    /// negative, zero or positive.
    static func compare(_ lhs: String, _ rhs: String) -> Int {
        var lhs = lhs
        var rhs = rhs
        return lhs.withUTF8 { l in
            rhs.withUTF8 { r in
                let common = min(l.count, r.count)
                if common > 0, let a = l.baseAddress, let b = r.baseAddress {
                    let order = memcmp(a, b, common)
                    if order != 0 { return Int(order) }
                }
                return l.count - r.count
            }
        }
    }

    /// Whether `lhs` comes before `rhs` in SQLite's BINARY order.
    static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        compare(lhs, rhs) < 0
    }
}
