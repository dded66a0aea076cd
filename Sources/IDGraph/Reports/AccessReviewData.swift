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
/// Blocks: `review-accounts` (rows, below, in the order they are read),
/// `review-order` (the row numbers in the order the page lists them: by
/// reviewer, person, source and account id), `review-findings`
/// (`[rule, severity, source, stale, account_id, email, name, detail]`, the
/// first three and stale by index or flag) and `review-strings` (the table).
/// An account row is `[person, personName, department, rosterStatus,
/// reviewer, reviewerName, source, account_id, email, name, role, is_admin,
/// status, last_seen, created, [containers], stale, [findings], canonical]`,
/// where text that repeats is an index into the table, -1 for none.
struct AccessReviewData {
    private var strings: [String: Int] = [:]
    private var table: [String] = []
    /// The source being written: its run, its name's index, its findings by
    /// account id, and its containers' indexes by position (-1 until used).
    private var current: (runID: Int64, name: Int, findings: [String: [Int]], containers: [Int]) = (-1, -1, [:], [])
    /// Short values that repeat on every row (roles, statuses), looked up
    /// without hashing.
    private var recent: [(text: String, index: Int)] = []

    /// Writes the four blocks for `findings` and the accounts in `db`.
    mutating func write(findings: [Finding], staleSources: Set<String>, db: Database, to output: BufferedFileOutput)
        throws
    {
        var findingsBySource: [String: [String: [Int]]] = [:]
        for (index, finding) in findings.enumerated() {
            findingsBySource[finding.source, default: [:]][finding.accountID, default: []].append(index)
        }

        // Rows are written in the order they are read; each row's place in the
        // list is a key: its person's rank, then, after every person, the
        // unmatched accounts by canonical email, and those with none last.
        let scan = try AccountScan(db)
        var personFields = [Int](repeating: Int.min, count: scan.peopleCount * 6)
        var keys: [Int] = []
        var unmatchedEmails: [Int: Int] = [:]  // string index -> its order among unmatched emails, set below
        output.append("<script type=\"application/json\" id=\"review-accounts\">[")
        try scan.forEach(db) { account in
            output.append(keys.isEmpty ? "\n[" : ",\n[")
            let canonical: Int
            if let person = account.person {
                let base = person.rank * 6
                if personFields[base] == Int.min {
                    let fields = [person.email, person.name, person.department, person.status, person.managerEmail, person.managerName]
                    for (offset, field) in fields.enumerated() {
                        personFields[base + offset] = field.map { index(of: $0) } ?? -1
                    }
                }
                for offset in 0..<6 {
                    output.append(decimal: personFields[base + offset])
                    output.append(UInt8(ascii: ","))
                }
                keys.append(person.rank)
                canonical = personFields[base]  // the person is found by the canonical email
            } else {
                output.append("-1,-1,-1,-1,-1,-1,")
                if let email = account.canonicalEmail {
                    canonical = index(of: email)
                    unmatchedEmails[canonical] = 0
                    keys.append(-2 - canonical)
                } else {
                    canonical = -1
                    keys.append(-1)
                }
            }
            if account.source.runID != current.runID {
                current = (
                    account.source.runID, index(of: account.source.name), findingsBySource[account.source.name] ?? [:],
                    [])
            }
            try writeAccount(account, canonical: canonical, to: output)
        }
        output.append("\n]</script>\n")

        // The place of each row: a stable counting sort of the keys.
        let sortedEmails = unmatchedEmails.keys.sorted { AccountScan.precedes(table[$0], table[$1]) }
        for (order, string) in sortedEmails.enumerated() { unmatchedEmails[string] = order }
        let noEmailBucket = scan.peopleCount + sortedEmails.count
        var starts = [Int](repeating: 0, count: noEmailBucket + 2)
        func bucket(_ key: Int) -> Int {
            key >= 0 ? key : (key == -1 ? noEmailBucket : scan.peopleCount + unmatchedEmails[-2 - key]!)
        }
        for key in keys { starts[bucket(key) + 1] += 1 }
        for position in 1..<starts.count { starts[position] += starts[position - 1] }
        var order = [Int32](repeating: 0, count: keys.count)
        for (row, key) in keys.enumerated() {
            let b = bucket(key)
            order[starts[b]] = Int32(row)
            starts[b] += 1
        }
        keys = []
        output.append("<script type=\"application/json\" id=\"review-order\">[")
        for (position, row) in order.enumerated() {
            if position > 0 { output.append(position % 64 == 0 ? ",\n" : ",") }
            output.append(decimal: Int(row))
        }
        output.append("]</script>\n")

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

    /// The account's fields of a row, after the person's six; `canonical` is
    /// the index of its canonical email.
    private mutating func writeAccount(_ account: AccountScan.Account, canonical: Int, to output: BufferedFileOutput)
        throws
    {
        typealias Column = AccountScan.Column
        let row = account.row
        output.append(decimal: current.name)
        output.append(UInt8(ascii: ","))
        Self.appendString(account.accountID, output)
        output.append(UInt8(ascii: ","))
        try Self.appendString(row, Column.email, output)
        output.append(UInt8(ascii: ","))
        try Self.appendString(row, Column.name, output)
        output.append(UInt8(ascii: ","))
        output.append(decimal: recentIndex(of: row[Column.role]))
        output.append((row[Column.isAdmin] as Bool? ?? false) ? ",1," : ",0,")
        output.append(decimal: recentIndex(of: row[Column.status]))
        output.append(UInt8(ascii: ","))
        try Self.appendString(row, Column.lastSeen, output)
        output.append(UInt8(ascii: ","))
        try Self.appendString(row, Column.created, output)
        output.append(",[")
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
        output.append(account.source.stale ? "],1,[" : "],0,[")
        if let findings = current.findings[account.accountID] {
            for (offset, finding) in findings.enumerated() {
                if offset > 0 { output.append(UInt8(ascii: ",")) }
                output.append(decimal: finding)
            }
        }
        output.append("],")
        output.append(decimal: canonical)
        output.append(UInt8(ascii: "]"))
    }

    /// The index of a value that repeats on every row, -1 for none: the last
    /// few such values are compared before the table is searched.
    private mutating func recentIndex(of text: String?) -> Int {
        guard let text else { return -1 }
        for entry in recent where entry.text == text { return entry.index }
        let index = index(of: text)
        if recent.count < 16 { recent.append((text, index)) }
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

    private mutating func appendIndex(_ text: String?, _ output: BufferedFileOutput, last: Bool = false) {
        output.append(decimal: text.map { index(of: $0) } ?? -1)
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
