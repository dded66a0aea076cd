import Foundation
import GRDB

/// The data of a large access-review page, written as JSON into
/// `<script type="application/json">` blocks that the page's script renders a
/// page at a time (see ``AccessReviewHTML/compactThreshold``).
///
/// The accounts do not depend on the findings, so their block is written
/// while the rules run, in the same pass over the graph as `accounts.csv`
/// (``writeAccounts(from:csv:block:)``), into a file of its own that the page
/// copies in; each finding names its account's row. Accounts are streamed
/// from the database straight into the files, so the page of a million
/// accounts never sits in memory. Text that repeats (sources, roles, people,
/// managers, departments, container names) is written once in a string table
/// that rows refer to by index. Every string is JSON-escaped with `<`, `>`,
/// `&`, U+2028 and U+2029 written as `\u` escapes, so no value can end the
/// script element or be read as markup.
///
/// Blocks: `review-columns` (the names and encodings of the positions of
/// the rows below, so the script reads every value by name),
/// `review-accounts` (a row per account of the access list, in the order
/// they are read), `review-order` (the row numbers in list order,
/// ``AccessOrder``), `review-findings` (a row per finding, with the row of
/// its account or -1 when the graph has no such account) and
/// `review-strings` (the table). Encodings: `s` an index into the string
/// table (-1 for none), `t` a JSON string or null, `b` 0 or 1, `l` a list of
/// string indexes, `n` a number.
struct AccessReviewData: Sendable {
    private var strings: [String: Int] = [:]
    private var table: [String] = []
    /// The source being written: its run, its name's index, and its
    /// containers' indexes by position (-1 until used).
    private var current: (runID: Int64, name: Int, containers: [Int]) = (-1, -1, [])
    /// Short values that repeat on every row (roles, statuses), looked up
    /// without hashing.
    private var recent: [(bytes: [UInt8], index: Int)] = []
    /// The source runs the rows were read from, in row order.
    private var runs: [(source: String, runID: Int64)] = []
    /// The rows' list order.
    private var order = AccessOrder(peopleCount: 0)
    /// The string index of the current row's person's email, -1 when it joins no person.
    private var personEmail = -1

    /// Reads every current account once, writing its `accounts.csv` row to
    /// `csv` and its row of the page's `review-accounts` block to `block`.
    static func writeAccounts(from reader: any DatabaseReader, csv: URL, block: URL) async throws -> AccessReviewData {
        try await reader.read { db in
            let file = try CSVFile(url: csv, header: AccountsCSV.header)
            let output: BufferedFileOutput
            do {
                output = try BufferedFileOutput(url: block)
            } catch {
                throw ReportError(file: block.path, message: "The HTML report's data cannot be written (\(error)). Check that the --out folder is writable and the disk is not full.")
            }
            var data = AccessReviewData()
            let scan = try AccountScan(db)
            data.order = AccessOrder(peopleCount: scan.peopleCount)
            let personColumns = Self.personColumns.count
            var personFields = [Int](repeating: Int.min, count: scan.peopleCount * personColumns)
            output.append("<script type=\"application/json\" id=\"review-columns\">")
            output.append(Self.columnsJSON)
            output.append("</script>\n<script type=\"application/json\" id=\"review-accounts\">[")
            try scan.forEach(db) { account in
                try AccountsCSV.write(account, to: file)
                output.append(data.order.count == 0 ? "\n[" : ",\n[")
                data.order.add(account)
                if let person = account.person {
                    let base = person.rank * personColumns
                    if personFields[base] == Int.min {
                        for (offset, column) in Self.personColumns.enumerated() {
                            personFields[base + offset] = column.value(person).map { data.index(of: $0) } ?? -1
                        }
                    }
                    for offset in 0..<personColumns {
                        output.append(decimal: personFields[base + offset])
                        output.append(UInt8(ascii: ","))
                    }
                    data.personEmail = personFields[base]  // "person" is the first person column
                } else {
                    for _ in 0..<personColumns { output.append("-1,") }
                    data.personEmail = -1
                }
                if account.source.runID != data.current.runID {
                    data.current = (account.source.runID, data.index(of: account.source.name), [])
                    data.runs.append((account.source.name, account.source.runID))
                }
                for (position, column) in Self.accountColumns.enumerated() {
                    if position > 0 { output.append(UInt8(ascii: ",")) }
                    column.write(&data, account, output)
                }
                output.append(UInt8(ascii: "]"))
            }
            output.append("\n]</script>\n")
            output.close()
            try file.close()
            if let failure = output.failure {
                throw ReportError(file: block.path, message: "The HTML report's data cannot be written (\(failure)). Check that the --out folder is writable and the disk is not full.")
            }
            return data
        }
    }

    /// Writes the blocks after `review-accounts`: the order of the rows, the
    /// findings with their account's row, and the string table.
    mutating func writeFindings(_ findings: [Finding], staleSources: Set<String>, db: Database, to output: BufferedFileOutput)
        throws
    {
        output.append("<script type=\"application/json\" id=\"review-order\">[")
        for (position, row) in order.listOrder().enumerated() {
            if position > 0 { output.append(position % 64 == 0 ? ",\n" : ",") }
            output.append(decimal: Int(row))
        }
        output.append("]</script>\n")

        let rows = try Self.rows(of: findings, runs: runs, db: db)
        output.append("<script type=\"application/json\" id=\"review-findings\">[")
        for (position, finding) in findings.enumerated() {
            output.append(position == 0 ? "\n[" : ",\n[")
            appendIndex(finding.rule, output)
            appendIndex(finding.severity.rawValue, output)
            appendIndex(finding.source, output)
            output.append(staleSources.contains(finding.source) ? "1," : "0,")
            for text in [finding.accountID, finding.email, finding.name, finding.detail] {
                Self.appendString(text, output)
                output.append(UInt8(ascii: ","))
            }
            output.append(decimal: Int(rows[position]))
            output.append(UInt8(ascii: "]"))
        }
        output.append("\n]</script>\n")

        output.append("<script type=\"application/json\" id=\"review-strings\">[")
        for (position, text) in table.enumerated() {
            if position > 0 { output.append(position % 64 == 0 ? ",\n" : ",") }
            Self.appendString(text, output)
        }
        output.append("]</script>\n")
    }

    /// The `review-accounts` row of each finding's account, -1 when none: the
    /// findings sorted by source and account id, walked beside the account
    /// ids of the runs the rows were read from, in the same order.
    static func rows(of findings: [Finding], runs: [(source: String, runID: Int64)], db: Database) throws -> [Int32] {
        var rows = [Int32](repeating: -1, count: findings.count)
        var bySource: [String: [Int]] = [:]
        for (index, finding) in findings.enumerated() {
            bySource[finding.source, default: []].append(index)
        }
        let ids = try GraphStore.accountIDsStatement(db)
        var row: Int32 = 0
        for run in runs {
            var pending = (bySource[run.source] ?? []).sorted {
                AccountScan.compare(findings[$0].accountID, findings[$1].accountID) < 0
            }[...]
            let cursor = try Row.fetchCursor(ids, arguments: [run.runID])
            while let account = try cursor.next() {
                if !pending.isEmpty {
                    let id: String = account[0]
                    while let next = pending.first, AccountScan.compare(findings[next].accountID, id) < 0 {
                        pending = pending.dropFirst()
                    }
                    while let next = pending.first, AccountScan.compare(findings[next].accountID, id) == 0 {
                        rows[next] = row
                        pending = pending.dropFirst()
                    }
                }
                row += 1
            }
        }
        return rows
    }

    /// A column of a `review-accounts` row taken from the roster person
    /// (written once per person, then repeated by index).
    struct PersonColumn: Sendable {
        var name: String
        var value: @Sendable (AccountScan.Person) -> String?
    }

    /// A column of a `review-accounts` row taken from the account.
    struct AccountColumn: Sendable {
        var name: String
        /// `s`, `t`, `b`, `l` or `n` (see the type's documentation).
        var encoding: Character
        var write: @Sendable (inout AccessReviewData, AccountScan.Account, BufferedFileOutput) -> Void
    }

    /// The person's columns, first in each row (all `s`).
    static let personColumns: [PersonColumn] = [
        PersonColumn(name: "person", value: { $0.email }),
        PersonColumn(name: "person_name", value: { $0.name }),
        PersonColumn(name: "department", value: { $0.department }),
        PersonColumn(name: "roster_status", value: { $0.status }),
        PersonColumn(name: "reviewer", value: { $0.managerEmail }),
        PersonColumn(name: "reviewer_name", value: { $0.managerName }),
    ]

    /// The account's columns, after the person's.
    static let accountColumns: [AccountColumn] = {
        typealias Column = AccountScan.Column
        func text(_ name: String, _ column: Int) -> AccountColumn {
            AccountColumn(name: name, encoding: "t") { _, account, output in appendString(account.bytes(column), output) }
        }
        func repeated(_ name: String, _ column: Int) -> AccountColumn {
            AccountColumn(name: name, encoding: "s") { data, account, output in
                output.append(decimal: data.recentIndex(of: account.bytes(column)))
            }
        }
        return [
            AccountColumn(name: "source", encoding: "s") { data, _, output in output.append(decimal: data.current.name) },
            AccountColumn(name: "account_id", encoding: "t") { _, account, output in appendString(account.accountID, output) },
            text("email", Column.email),
            text("name", Column.name),
            repeated("role", Column.role),
            AccountColumn(name: "is_admin", encoding: "b") { _, account, output in output.append(account.isAdmin ? "1" : "0") },
            repeated("status", Column.status),
            text("last_seen", Column.lastSeen),
            text("created", Column.created),
            AccountColumn(name: "memberships", encoding: "l") { data, account, output in data.writeMemberships(account, output) },
            AccountColumn(name: "stale", encoding: "b") { _, account, output in output.append(account.source.stale ? "1" : "0") },
            AccountColumn(name: "canonical", encoding: "s") { data, account, output in
                // A person's canonical email is their email, already in the table.
                output.append(decimal: data.personEmail >= 0 ? data.personEmail : account.canonicalEmail.map { data.index(of: $0) } ?? -1)
            },
            repeated("account_type", Column.accountType),
        ]
    }()

    /// The columns of a `review-findings` row.
    static let findingColumns: [(name: String, encoding: Character)] = [
        ("rule", "s"), ("severity", "s"), ("source", "s"), ("stale", "b"), ("account_id", "t"), ("email", "t"),
        ("name", "t"), ("detail", "t"), ("row", "n"),
    ]

    /// The `review-columns` block: `{"accounts": [[name, encoding], …], "findings": […]}`.
    static let columnsJSON: String = {
        func list(_ columns: [(name: String, encoding: Character)]) -> String {
            "[" + columns.map { "[\"\($0.name)\",\"\($0.encoding)\"]" }.joined(separator: ",") + "]"
        }
        let accounts = personColumns.map { ($0.name, Character("s")) } + accountColumns.map { ($0.name, $0.encoding) }
        return "{\"accounts\":\(list(accounts)),\"findings\":\(list(findingColumns))}"
    }()

    /// The account's memberships as string indexes, in name order.
    private mutating func writeMemberships(_ account: AccountScan.Account, _ output: BufferedFileOutput) {
        output.append(UInt8(ascii: "["))
        if current.containers.count < account.containerNames.names.count {
            current.containers += repeatElement(-1, count: account.containerNames.names.count - current.containers.count)
        }
        for (offset, position) in account.containers.enumerated() {
            if offset > 0 { output.append(UInt8(ascii: ",")) }
            if current.containers[position] < 0 {
                current.containers[position] = index(of: account.containerNames.names[position])
            }
            output.append(decimal: current.containers[position])
        }
        output.append(UInt8(ascii: "]"))
    }

    /// The index of a value that repeats on every row, -1 for none: the last
    /// few such values are compared byte for byte before the table is searched.
    private mutating func recentIndex(of bytes: UnsafeBufferPointer<UInt8>?) -> Int {
        guard let bytes else { return -1 }
        for entry in recent where entry.bytes.elementsEqual(bytes) { return entry.index }
        let index = index(of: String(decoding: bytes, as: UTF8.self))
        if recent.count < 16 { recent.append((Array(bytes), index)) }
        return index
    }

    /// The index of `text` in the string table, adding it when new.
    private mutating func index(of text: String) -> Int {
        if let index = strings[text] { return index }
        let index = table.count
        strings[text] = index
        table.append(text)
        return index
    }

    /// The index of `text` in the string table (-1 for nil), then a comma.
    private mutating func appendIndex(_ text: String?, _ output: BufferedFileOutput) {
        output.append(decimal: text.map { index(of: $0) } ?? -1)
        output.append(UInt8(ascii: ","))
    }

    /// UTF-8 `bytes` as a JSON string safe inside a `<script>` element; `null` for nil.
    static func appendString(_ bytes: UnsafeBufferPointer<UInt8>?, _ output: BufferedFileOutput) {
        guard let bytes else {
            output.append("null")
            return
        }
        JSONString.append(bytes, inScript: true, to: output)
    }

    /// `text` as a JSON string safe inside a `<script>` element; `null` for nil.
    static func appendString(_ text: String?, _ output: BufferedFileOutput) {
        guard let text else {
            output.append("null")
            return
        }
        JSONString.append(text, inScript: true, to: output)
    }
}
