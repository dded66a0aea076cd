import GRDB

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
        /// The database row, columns in ``Column`` order.
        var row: Row
        var accountID: String
        var canonicalEmail: String?
        /// The roster person its canonical email joins, if any.
        var person: Person?
        /// The names of the containers it is a direct member of (the id where
        /// a container has no name), in byte order, as SQLite's `ORDER BY`.
        var containers: [String]
    }

    /// The columns of ``Account/row``.
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
        try db.execute(sql: "PRAGMA cache_size = -65536")  // 64 MiB
        let accounts = try db.makeStatement(
            sql: """
                SELECT account_id, email, canonical_email, name, role, is_admin, status, last_seen, created
                FROM account WHERE source_run_id = ? ORDER BY account_id
                """)
        // membership_by_account holds (source_run_id, account_id, container_id): no table look-up.
        let memberships = try db.makeStatement(
            sql: "SELECT account_id, container_id FROM membership WHERE source_run_id = ? ORDER BY account_id")
        for source in try Self.sources(db) {
            var names: [String: String] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT container_id, name FROM container WHERE source_run_id = ?", arguments: [source.runID])
            {
                let id: String = row[0]
                names[id] = row[1] ?? id
            }
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
                var containers: [String] = []
                // Memberships of accounts the source did not list are skipped, as the joins skip them.
                while let membership = pending, Self.precedes(membership.accountID, accountID) {
                    pending = try nextMembership()
                }
                while let membership = pending, membership.accountID.utf8.elementsEqual(accountID.utf8) {
                    containers.append(names[membership.containerID] ?? membership.containerID)
                    pending = try nextMembership()
                }
                if containers.count > 1 { containers.sort(by: Self.precedes) }
                let canonical: String? = row[Column.canonicalEmail]
                try body(
                    Account(
                        source: source, row: row, accountID: accountID, canonicalEmail: canonical,
                        person: canonical.flatMap { people[$0] }, containers: containers))
            }
        }
    }

    /// SQLite's BINARY order: the UTF-8 bytes compared.
    static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }
}
