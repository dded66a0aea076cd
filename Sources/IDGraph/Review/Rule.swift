import Foundation

/// One rule: a SQL file whose rows are findings, described by its comment header.
///
/// A rule file starts with comment lines `-- id: …`, `-- severity: …` and
/// `-- description: …` (and optionally `-- requires: roster`); the rest of the
/// file is one read-only `SELECT` returning `source, account_id, email, name,
/// detail` and, optionally, `severity` to override the header's per row.
public struct Rule: Sendable, Hashable {
    /// The rule's id, as findings name it: lower-case letters, digits and dashes.
    public var id: String
    /// The severity of its findings, unless a row gives its own.
    public var severity: Severity
    /// What the rule flags, in a sentence.
    public var description: String
    /// What must be configured for the rule to run.
    public var requirements: Set<RuleRequirement>
    /// The SQL text, header included.
    public var sql: String
    /// The file it was read from.
    public var file: URL

    /// Creates a rule.
    public init(
        id: String, severity: Severity, description: String, requirements: Set<RuleRequirement> = [], sql: String,
        file: URL
    ) {
        self.id = id
        self.severity = severity
        self.description = description
        self.requirements = requirements
        self.sql = sql
        self.file = file
    }

    /// Parses a rule file's text, read from `file`.
    public static func parse(_ text: String, file: URL) throws(RuleError) -> Rule {
        var fields: [String: String] = [:]
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            guard trimmed.hasPrefix("--") else { break }
            let comment = trimmed.dropFirst(2).trimmingCharacters(in: .whitespaces)
            guard let colon = comment.firstIndex(of: ":") else { continue }
            let key = comment[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            guard Self.headerKeys.contains(key) else { continue }
            guard fields[key] == nil else {
                throw RuleError(file: file, line: lineNumber, message: "The header names '\(key)' twice.")
            }
            fields[key] = comment[comment.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let example = "Start the file with comment lines such as '-- id: my-rule', '-- severity: medium' and '-- description: what it flags'."
        for key in ["id", "severity", "description"] where (fields[key] ?? "").isEmpty {
            throw RuleError(file: file, message: "The rule header has no '\(key)'. \(example)")
        }
        let id = fields["id"]!
        guard id.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }) else {
            throw RuleError(
                file: file, message: "The rule id '\(id)' may use only lower-case letters, digits, '-' and '_'.")
        }
        guard let severity = Severity(rawValue: fields["severity"]!.lowercased()) else {
            throw RuleError(
                file: file,
                message: "The severity '\(fields["severity"]!)' is not one of \(Severity.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        var requirements: Set<RuleRequirement> = []
        if let requires = fields["requires"] {
            for word in requires.split(whereSeparator: { $0 == "," || $0 == " " }) {
                guard let requirement = RuleRequirement(rawValue: word.lowercased()) else {
                    throw RuleError(
                        file: file,
                        message: "'requires: \(word)' is unknown; the only requirement is 'roster'.")
                }
                requirements.insert(requirement)
            }
        }
        return Rule(
            id: id, severity: severity, description: fields["description"]!, requirements: requirements, sql: text,
            file: file)
    }

    static let headerKeys: Set<String> = ["id", "severity", "description", "requires"]
}

/// Something a rule needs configured to run at all.
public enum RuleRequirement: String, Sendable, Hashable {
    /// A roster source: without one, every account would look orphaned.
    case roster
}
