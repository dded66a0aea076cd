import CSV
import Foundation

/// Reads the HR roster CSV (SPEC.md: `email,name,department,manager_email,status,termination_date`).
///
/// Tolerates a byte-order mark, CRLF, quoted fields, extra columns in any
/// order, missing optional columns and blank lines. A row that cannot be read
/// is an error naming the file and line, so a reviewer never works from a
/// roster that silently lost people. A person listed twice (a re-hire: one
/// terminated row, one active row) is active.
public struct RosterCollector: Collector {
    /// The columns a roster must have.
    public static let requiredColumns = ["email", "status"]
    /// The columns a roster may have.
    public static let optionalColumns = ["name", "department", "manager_email", "termination_date"]

    /// The roster source.
    public var source: SourceConfiguration
    /// Canonicalises emails and manager emails.
    public var canonicalizer: EmailCanonicalizer

    /// Creates a roster collector.
    public init(source: SourceConfiguration, canonicalizer: EmailCanonicalizer) {
        self.source = source
        self.canonicalizer = canonicalizer
    }

    public func collect(into sink: SourceSink) async throws {
        let people = try read()
        for start in stride(from: 0, to: people.count, by: 5_000) {
            try await sink.add(Array(people[start..<min(start + 5_000, people.count)]))
        }
    }

    /// The roster's people, one per canonical email, in file order.
    public func read() throws(CollectionError) -> [Person] {
        guard let url = source.path else {
            throw CollectionError(source: source.name, message: "The roster source has no 'path'.")
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw CollectionError(
                source: source.name, location: url.path,
                message: "The roster file cannot be read. Check the 'path' of the source (relative to the config file).")
        }
        guard var text = String(data: data, encoding: .utf8) else {
            throw CollectionError(
                source: source.name, location: url.path,
                message: "The roster file is not UTF-8 text. Export it as CSV UTF-8.")
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return try parse(text, file: url.path)
    }

    /// Parses roster `text` read from `file`.
    public func parse(_ text: String, file: String) throws(CollectionError) -> [Person] {
        func failure(_ line: Int?, _ message: String) -> CollectionError {
            CollectionError(source: source.name, location: line.map { "\(file):\($0)" } ?? file, message: message)
        }
        if let line = Self.unterminatedQuoteLine(in: text) {
            throw failure(line, "A quoted field opened on this line is never closed. Check for an unbalanced '\"'.")
        }
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: false)
        } catch {
            throw failure(1, "The roster file cannot be read as CSV (\(error)).")
        }
        var line = 1
        guard let headerRow = reader.next() else {
            throw failure(nil, "The roster file is empty. It needs a header row: email,name,department,manager_email,status,termination_date.")
        }
        line += Self.extraLines(in: headerRow)
        let header = headerRow.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var column: [String: Int] = [:]
        for (index, name) in header.enumerated() where column[name] == nil {
            column[name] = index
        }
        for name in Self.requiredColumns where column[name] == nil {
            throw failure(1, "The roster has no '\(name)' column. The header must include: \(Self.requiredColumns.joined(separator: ", ")) (and may include \(Self.optionalColumns.joined(separator: ", "))).")
        }

        var byEmail: [String: Int] = [:]
        var people: [Person] = []
        while let row = reader.next() {
            line += 1
            let rowLine = line
            line += Self.extraLines(in: row)
            if row.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            guard row.count == header.count else {
                throw failure(rowLine, "This row has \(row.count) fields but the header has \(header.count). Check for an unbalanced quote or a stray comma.")
            }
            func field(_ name: String) -> String? {
                guard let index = column[name] else { return nil }
                let value = row[index].trimmingCharacters(in: .whitespacesAndNewlines)
                return value.isEmpty ? nil : value
            }
            guard let givenEmail = field("email") else {
                throw failure(rowLine, "This row has no email. Every roster row needs the person's email.")
            }
            guard let email = canonicalizer.canonicalEmail(givenEmail), Self.looksLikeEmail(email) else {
                throw failure(rowLine, "'\(givenEmail)' is not an email address.")
            }
            guard let status = field("status")?.lowercased() else {
                throw failure(rowLine, "This row has no status. Use 'active' or 'terminated'.")
            }
            var terminationDate: String?
            if let date = field("termination_date") {
                guard let parsed = Timestamp.parse(date) else {
                    throw failure(rowLine, "The termination date '\(date)' is not a date. Write it as YYYY-MM-DD.")
                }
                terminationDate = Timestamp.day(from: parsed)
            }
            let person = Person(
                email: email, givenEmail: givenEmail, name: field("name"), department: field("department"),
                managerEmail: canonicalizer.canonicalEmail(field("manager_email")), status: status,
                terminationDate: terminationDate, line: rowLine)
            if let existing = byEmail[email] {
                // A re-hire: the active row wins; otherwise the later row does.
                if person.isActive || !people[existing].isActive {
                    people[existing] = person
                }
            } else {
                byEmail[email] = people.count
                people.append(person)
            }
        }
        return people
    }

    /// Lines that quoted fields of a row span beyond the row's first.
    static func extraLines(in row: [String]) -> Int {
        var count = 0
        for field in row where field.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
            for character in field where character == "\n" || character == "\r" || character == "\r\n" {
                count += 1
            }
        }
        return count
    }

    /// The line where a quoted field opens without ever closing, if any:
    /// the CSV library would silently read the rest of the file into it.
    static func unterminatedQuoteLine(in text: String) -> Int? {
        var line = 1
        var openedAt: Int?
        for scalar in text.unicodeScalars {
            if scalar == "\"" {
                openedAt = openedAt == nil ? line : nil
            } else if scalar == "\n" {
                line += 1
            }
        }
        return openedAt
    }

    static func looksLikeEmail(_ email: String) -> Bool {
        guard let at = email.firstIndex(of: "@") else { return false }
        return at != email.startIndex && email.index(after: at) != email.endIndex
            && !email.contains(where: \.isWhitespace)
    }
}
