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

    /// Writes every current account to `url`, streaming from the database:
    /// source by source (in name order), each in account-id order, with the
    /// roster person of the first current roster (by source name) that lists
    /// the account's canonical email, as the `people` view orders them.
    public static func write(from reader: any DatabaseReader, to url: URL) async throws {
        try await reader.read { db in
            let file = try CSVFile(url: url, header: header)
            var json: [UInt8] = []
            let scan = try AccountScan(db)
            try scan.forEach(db) { account throws(ReportError) in
                try write(account, to: file, json: &json)
            }
            try file.close()
        }
    }
}

extension AccountsCSV {
    /// Writes the row of `account`; `json` is scratch space for the memberships.
    static func write(_ account: AccountScan.Account, to file: CSVFile, json: inout [UInt8]) throws(ReportError) {
        typealias Column = AccountScan.Column
        file.beginRow()
        file.cell(account.source.name)
        file.cell(account.accountID)
        try file.cell(account.row, Column.email)
        try file.cell(account.row, Column.name)
        file.cell(account.person?.email)
        file.cell(account.person?.department)
        file.cell(account.person?.managerEmail)
        try file.cell(account.row, Column.role)
        try file.cell(account.row, Column.isAdmin)
        try file.cell(account.row, Column.status)
        try file.cell(account.row, Column.lastSeen)
        try file.cell(account.row, Column.created)
        json.removeAll(keepingCapacity: true)
        JSONText.appendArray(account.containerList, to: &json)
        json.withUnsafeBufferPointer { file.cell($0) }
        file.cell(account.source.stale ? "1" : "0")
        try file.endRow()
    }
}

/// JSON text as `json_group_array` writes it: compact, `\"`, `\\` and
/// control characters escaped, everything else as it is.
enum JSONText {
    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `["a","b"]` for `strings`.
    static func appendArray(_ strings: [String], to output: inout [UInt8]) {
        output.append(UInt8(ascii: "["))
        for (index, string) in strings.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            appendString(string, to: &output)
        }
        output.append(UInt8(ascii: "]"))
    }

    /// Appends `string` as a JSON string.
    static func appendString(_ string: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                output.append(UInt8(ascii: "\\"))
                output.append(byte)
            case 0x0A: output.append(contentsOf: [92, UInt8(ascii: "n")])
            case 0x0D: output.append(contentsOf: [92, UInt8(ascii: "r")])
            case 0x09: output.append(contentsOf: [92, UInt8(ascii: "t")])
            case 0..<0x20:
                output.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}
