import Foundation
import GRDB

/// The data of a large access-review page, written as JSON into
/// `<script type="application/json">` blocks that the page's script renders a
/// page at a time (see ``AccessReviewHTML/compactThreshold``).
///
/// Accounts are streamed from one cursor straight into the file, so the page
/// of a million accounts never sits in memory. Text that repeats (sources,
/// roles, people, managers, departments, container names) is written once in
/// a string table that rows refer to by index. Every string is JSON-escaped
/// with `<`, `>`, `&`, U+2028 and U+2029 written as `\u` escapes, so no value
/// can end the script element or be read as markup.
///
/// Blocks: `review-accounts` (rows, below), `review-findings`
/// (`[rule, severity, source, stale, account_id, email, name, detail]`, the
/// first three and stale by index or flag) and `review-strings` (the table).
/// An account row is `[person, personName, department, rosterStatus,
/// reviewer, reviewerName, source, account_id, email, name, role, is_admin,
/// status, last_seen, created, [containers], stale, [findings], canonical]`,
/// where text that repeats is an index into the table, -1 for none.
struct AccessReviewData {
    private var strings: [String: Int] = [:]
    private var table: [String] = []

    /// The account columns every row is written from, for `a` in a current run `c`.
    private static let accountColumns = """
        c.source, a.account_id, a.email, a.canonical_email, a.name, a.role, a.is_admin, a.status,
               a.last_seen, a.created, c.stale,
               (SELECT group_concat(n, char(31))
                FROM (SELECT coalesce(k.name, m.container_id) AS n
                      FROM membership m
                      LEFT JOIN container k ON k.source_run_id = m.source_run_id AND k.container_id = m.container_id
                      WHERE m.source_run_id = a.source_run_id AND m.account_id = a.account_id
                      ORDER BY n)) AS containers
        """

    /// The roster people, each once (from the first current roster, by source
    /// name, that lists them, as the `people` view orders them), in the order
    /// the page lists them: by reviewer (their manager, named as the same
    /// roster lists them), then by name. Only people are sorted, not accounts.
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

    /// One person's current accounts, found by `account_by_email`.
    static let personAccountsSQL = """
        SELECT \(accountColumns)
        FROM account a
        JOIN current_source_runs c ON c.source_run_id = a.source_run_id
        WHERE a.canonical_email = ?
        ORDER BY c.source, a.account_id
        """

    /// The current accounts that join no roster person, listed last, by email.
    static let unmatchedSQL = """
        SELECT \(accountColumns)
        FROM current_source_runs c
        JOIN account a ON a.source_run_id = c.source_run_id
        WHERE a.canonical_email IS NULL
           OR NOT EXISTS (SELECT 1 FROM person p JOIN current_source_runs r ON r.source_run_id = p.source_run_id
                          WHERE p.email = a.canonical_email)
        ORDER BY a.canonical_email IS NULL, a.canonical_email, c.source, a.account_id
        """

    /// Writes the three blocks for `findings` and the accounts in `db`.
    mutating func write(findings: [Finding], staleSources: Set<String>, db: Database, to output: BufferedFileOutput)
        throws
    {
        var findingsByAccount: [AccountKey: [Int]] = [:]
        for (index, finding) in findings.enumerated() {
            findingsByAccount[AccountKey(source: finding.source, accountID: finding.accountID), default: []].append(index)
        }

        output.append("<script type=\"application/json\" id=\"review-accounts\">[")
        try db.execute(sql: "PRAGMA cache_size = -65536")  // 64 MiB: the look-ups of a large graph stay in memory
        var first = true
        func writeAccounts(_ rows: RowCursor, person: [Int]) throws {
            while let row = try rows.next() {
                output.append(first ? "\n[" : ",\n[")
                first = false
                try writeAccount(row, person: person, findingsByAccount: findingsByAccount, to: output)
            }
        }
        let personAccounts = try db.makeStatement(sql: Self.personAccountsSQL)
        let people = try Row.fetchCursor(db, sql: Self.peopleSQL)
        while let person = try people.next() {
            let email: String = person[0]
            let fields: [String?] = [email, person[1], person[2], person[3], person[4], person[5]]
            try writeAccounts(
                try Row.fetchCursor(personAccounts, arguments: [email]),
                person: fields.map { $0.map { index(of: $0) } ?? -1 })
        }
        try writeAccounts(try Row.fetchCursor(db, sql: Self.unmatchedSQL), person: [-1, -1, -1, -1, -1, -1])
        output.append("\n]</script>\n")

        output.append("<script type=\"application/json\" id=\"review-findings\">[")
        for (position, finding) in findings.enumerated() {
            output.append(position == 0 ? "\n[" : ",\n[")
            appendIndex(finding.rule, output)
            appendIndex(finding.severity.rawValue, output)
            appendIndex(finding.source, output)
            output.append(staleSources.contains(finding.source) ? "1," : "0,")
            for (offset, text) in [finding.accountID, finding.email, finding.name, finding.detail].enumerated() {
                if offset > 0 { output.append(UInt8(ascii: ",")) }
                Self.appendString(text, output)
            }
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

    /// One account row: the person's six fields (email, name, department,
    /// roster status, manager, manager's name), then the account's.
    private mutating func writeAccount(
        _ row: Row, person: [Int], findingsByAccount: [AccountKey: [Int]], to output: BufferedFileOutput
    ) throws {
        let source: String = row[0]
        let accountID: String = row[1]
        for field in person {
            output.append(String(field))
            output.append(UInt8(ascii: ","))
        }
        appendIndex(source, output)
        Self.appendString(accountID, output)
        output.append(UInt8(ascii: ","))
        try Self.appendString(row, 2, output)  // email
        output.append(UInt8(ascii: ","))
        try Self.appendString(row, 4, output)  // name
        output.append(UInt8(ascii: ","))
        appendIndex(row[5] as String?, output)  // role
        output.append((row[6] as Bool? ?? false) ? "1," : "0,")
        appendIndex(row[7] as String?, output)  // status
        try Self.appendString(row, 8, output)  // last seen
        output.append(UInt8(ascii: ","))
        try Self.appendString(row, 9, output)  // created
        output.append(",[")
        if let containers = row[11] as String? {
            var firstContainer = true
            for name in containers.split(separator: "\u{1F}", omittingEmptySubsequences: false) {
                if !firstContainer { output.append(UInt8(ascii: ",")) }
                firstContainer = false
                output.append(String(index(of: String(name))))
            }
        }
        output.append((row[10] as Bool? ?? false) ? "],1,[" : "],0,[")
        if let indexes = findingsByAccount[AccountKey(source: source, accountID: accountID)] {
            output.append(indexes.map(String.init).joined(separator: ","))
        }
        output.append("],")
        appendIndex(row[3] as String?, output, last: true)  // canonical email
        output.append(UInt8(ascii: "]"))
    }

    /// The index of `text` in the string table, adding it when new.
    private mutating func index(of text: String) -> Int {
        if let index = strings[text] { return index }
        let index = table.count
        strings[text] = index
        table.append(text)
        return index
    }

    private mutating func appendIndex(_ text: String?, _ output: BufferedFileOutput, last: Bool = false) {
        if let text { output.append(String(index(of: text))) } else { output.append("-1") }
        if !last { output.append(UInt8(ascii: ",")) }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Column `column` of `row` as a JSON string, escaped from its bytes in place.
    static func appendString(_ row: Row, _ column: Int, _ output: BufferedFileOutput) throws {
        try row.withUnsafeData(atIndex: column) { data in
            guard let data else {
                output.append("null")
                return
            }
            data.withUnsafeBytes { raw in appendString(raw.bindMemory(to: UInt8.self), output) }
        }
    }

    /// `text` as a JSON string safe inside a `<script>` element; `null` for nil.
    static func appendString(_ text: String?, _ output: BufferedFileOutput) {
        guard var text else {
            output.append("null")
            return
        }
        text.withUTF8 { appendString($0, output) }
    }

    /// UTF-8 `bytes` as a JSON string safe inside a `<script>` element.
    static func appendString(_ bytes: UnsafeBufferPointer<UInt8>, _ output: BufferedFileOutput) {
        output.append(UInt8(ascii: "\""))
        var start = 0
        var index = 0
        func escape(_ replacement: [UInt8], skipping count: Int) {
            output.append(UnsafeBufferPointer(rebasing: bytes[start..<index]))
            replacement.withUnsafeBufferPointer { output.append($0) }
            index += count
            start = index
        }
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""): escape([92, 34], skipping: 1)
            case UInt8(ascii: "\\"): escape([92, 92], skipping: 1)
            case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"), 0..<0x20:
                escape([92, 117, 48, 48, Self.hex[Int(byte >> 4)], Self.hex[Int(byte & 15)]], skipping: 1)
            case 0xE2 where index + 2 < bytes.count && bytes[index + 1] == 0x80
                && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9):
                escape(Array((bytes[index + 2] == 0xA8 ? "\\u2028" : "\\u2029").utf8), skipping: 3)
            default: index += 1
            }
        }
        output.append(UnsafeBufferPointer(rebasing: bytes[start...]))
        output.append(UInt8(ascii: "\""))
    }
}
