import Foundation
import GRDB

/// `accounts.csv`: every account of every source, for the reviewer, SPEC.md's header in order.
///
/// `memberships` is a JSON array of container names in alphabetical order
/// (`["Finance","R&D <\"Alpha\">"]`, `[]` for none): unambiguous whatever
/// characters a name holds. `is_admin` and `stale` are 0/1, like the graph's
/// booleans; `stale` is 1 when the source's last collection failed and these
/// rows are its last good data.
public enum AccountsCSV {
    /// The header row.
    public static let header = [
        "source", "account_id", "email", "name", "person_email", "department", "manager_email", "role", "is_admin",
        "status", "last_seen", "created", "memberships", "stale",
    ]

    /// The query behind the file, one row per account in `header` order.
    static let sql = """
        SELECT a.source, a.account_id, a.email, a.name, a.person_email,
               (SELECT p.department FROM people p WHERE p.email = a.person_email ORDER BY p.source LIMIT 1)
                   AS department,
               (SELECT p.manager_email FROM people p WHERE p.email = a.person_email ORDER BY p.source LIMIT 1)
                   AS manager_email,
               a.role, a.is_admin, a.status, a.last_seen, a.created,
               (SELECT json_group_array(n)
                FROM (SELECT coalesce(k.name, m.container_id) AS n
                      FROM memberships m
                      LEFT JOIN containers k ON k.source = m.source AND k.container_id = m.container_id
                      WHERE m.source = a.source AND m.account_id = a.account_id
                      ORDER BY n)) AS memberships,
               a.stale
        FROM accounts a
        ORDER BY a.source, a.account_id
        """

    /// Writes every current account to `url`, streaming from the database.
    public static func write(from reader: any DatabaseReader, to url: URL) async throws {
        try await reader.read { db in
            let file = try CSVFile(url: url, header: header)
            let rows = try Row.fetchCursor(db, sql: sql)
            while let row = try rows.next() {
                try file.write((0..<header.count).map { Self.text(row[$0]) })
            }
            try file.close()
        }
    }

    private static func text(_ value: DatabaseValue) -> String? {
        switch value.storage {
        case .null: nil
        case .string(let s): s
        case .int64(let i): String(i)
        case .double(let d): String(d)
        case .blob(let b): String(decoding: b, as: UTF8.self)
        }
    }
}
