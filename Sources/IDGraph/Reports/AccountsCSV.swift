import Foundation
import GRDB

/// `accounts.csv`: every account of every source, for the reviewer, the README's header in order
/// (new columns are only ever added at the end).
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
        "status", "last_seen", "created", "memberships", "stale", "account_type",
    ]

    /// Writes every current account to `url`, streaming from the database:
    /// source by source (in name order), each in account-id order, with the
    /// roster person of the first current roster (by source name) that lists
    /// the account's canonical email, as the `people` view orders them.
    public static func write(from reader: any DatabaseReader, to url: URL) async throws {
        try await reader.read { db in
            let file = try CSVFile(url: url, header: header)
            let scan = try AccountScan(db)
            try scan.forEach(db) { account throws(ReportError) in
                try write(account, to: file)
            }
            try file.close()
        }
    }
}

extension AccountsCSV {
    /// Writes the row of `account`.
    static func write(_ account: AccountScan.Account, to file: CSVFile) throws(ReportError) {
        typealias Column = AccountScan.Column
        file.beginRow()
        file.cell(account.source.name)
        file.cell(account.accountID)
        file.cell(account.bytes(Column.email))
        file.cell(account.bytes(Column.name))
        file.cell(account.person?.email)
        file.cell(account.person?.department)
        file.cell(account.person?.managerEmail)
        file.cell(account.bytes(Column.role))
        file.cell(account.bytes(Column.isAdmin))
        file.cell(account.bytes(Column.status))
        file.cell(account.bytes(Column.lastSeen))
        file.cell(account.bytes(Column.created))
        file.jsonArrayCell(account.containers.lazy.map { account.containerNames.names[$0] })
        file.cell(account.source.stale ? "1" : "0")
        file.cell(account.bytes(Column.accountType))
        try file.endRow()
    }
}

