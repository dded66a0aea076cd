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

    /// The query behind the file for one source run, one row per account in
    /// `header` order. The file is written source by source (in name order),
    /// each in primary-key order, so SQLite never sorts the whole file.
    ///
    /// It reads the tables behind the views, joined once to
    /// `current_source_runs`, so each account costs a few index look-ups: its
    /// roster person (the first current roster by source name, as the
    /// `people` view orders them) and its memberships by
    /// `membership_by_account`.
    static let sql = """
        SELECT c.source, a.account_id, a.email, a.name, p.email AS person_email, p.department, p.manager_email,
               a.role, a.is_admin, a.status, a.last_seen, a.created,
               (SELECT json_group_array(n)
                FROM (SELECT coalesce(k.name, m.container_id) AS n
                      FROM membership m
                      LEFT JOIN container k ON k.source_run_id = m.source_run_id AND k.container_id = m.container_id
                      WHERE m.source_run_id = a.source_run_id AND m.account_id = a.account_id
                      ORDER BY n)) AS memberships,
               c.stale
        FROM current_source_runs c
        JOIN account a ON a.source_run_id = c.source_run_id
        LEFT JOIN person p ON p.email = a.canonical_email
            AND p.source_run_id = (SELECT q.source_run_id FROM person q JOIN current_source_runs r ON r.source_run_id = q.source_run_id
                                   WHERE q.email = a.canonical_email ORDER BY r.source LIMIT 1)
        WHERE c.source_run_id = ?
        ORDER BY a.account_id
        """

    /// Writes every current account to `url`, streaming from the database.
    public static func write(from reader: any DatabaseReader, to url: URL) async throws {
        try await reader.read { db in
            let file = try CSVFile(url: url, header: header)
            try db.execute(sql: "PRAGMA cache_size = -65536")  // 64 MiB: the look-ups of a large graph stay in memory
            let statement = try db.makeStatement(sql: sql)
            let runs = try Int64.fetchAll(db, sql: "SELECT source_run_id FROM current_source_runs ORDER BY source")
            for run in runs {
                let rows = try Row.fetchCursor(statement, arguments: [run])
                while let row = try rows.next() {
                    try file.write(row, columns: header.count)
                }
            }
            try file.close()
        }
    }
}
