import CSV
import Foundation

/// The people of a roster CSV, one row at a time: each row is checked and
/// becomes a ``Person``; an error names the file and line.
struct RosterRows {
    private let reader: CSVReader
    private let file: String
    private let source: String
    private let canonicalizer: EmailCanonicalizer
    private let columns: Int
    private let column: [String: Int]
    /// The last line read so far.
    private var line = 1
    /// Dates before 1970 read so far, each stored as unknown.
    private(set) var unreadableDates = UnreadableDates()

    /// Reads the header of `reader`, which reads `file`; `quotes` is the
    /// balance of the whole file's quotes, checked first.
    init(
        _ reader: CSVReader, file: String, quotes: QuoteBalance, source: String, canonicalizer: EmailCanonicalizer
    ) throws(CollectionError) {
        self.reader = reader
        self.file = file
        self.source = source
        self.canonicalizer = canonicalizer
        if let line = quotes.unclosedAt {
            throw Self.failure(source, file, line, "A quoted field opened on this line is never closed. Check for an unbalanced '\"'.")
        }
        let headerRow = reader.next()
        if let failure = Self.readFailure(reader, source, file, 1) { throw failure }
        guard let headerRow else {
            throw Self.failure(source, file, nil, "The roster file is empty. It needs a header row: email,name,department,manager_email,status,termination_date.")
        }
        line += Self.extraLines(in: headerRow)
        let header = headerRow.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var column: [String: Int] = [:]
        for (index, name) in header.enumerated() where column[name] == nil {
            column[name] = index
        }
        for name in RosterCollector.requiredColumns where column[name] == nil {
            throw Self.failure(source, file, 1, "The roster has no '\(name)' column. The header must include: \(RosterCollector.requiredColumns.joined(separator: ", ")) (and may include \(RosterCollector.optionalColumns.joined(separator: ", "))).")
        }
        self.columns = header.count
        self.column = column
    }

    /// The next person; `nil` after the last row.
    mutating func next() throws(CollectionError) -> Person? {
        while let row = reader.next() {
            line += 1
            let rowLine = line
            // A byte that is not UTF-8 ends the reader's row early: the row is not used.
            if let failure = Self.readFailure(reader, source, file, rowLine) { throw failure }
            line += Self.extraLines(in: row)
            if row.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            let (person, unreadable) = try person(row, line: rowLine)
            if let unreadable { unreadableDates.add([unreadable]) }
            return person
        }
        if let failure = Self.readFailure(reader, source, file, line + 1) { throw failure }
        return nil
    }

    /// The person of a row, and the termination date it holds that is out of range.
    private func person(_ row: [String], line: Int) throws(CollectionError) -> (Person, UnreadableDate?) {
        func failure(_ message: String) -> CollectionError { Self.failure(source, file, line, message) }
        guard row.count == columns else {
            throw failure("This row has \(row.count) fields but the header has \(columns). Check for an unbalanced quote or a stray comma.")
        }
        func field(_ name: String) -> String? {
            guard let index = column[name] else { return nil }
            let value = row[index].trimmingCharacters(in: .whitespacesAndNewlines)
            return value.isEmpty ? nil : value
        }
        guard let givenEmail = field("email") else {
            throw failure("This row has no email. Every roster row needs the person's email.")
        }
        guard let email = canonicalizer.canonicalEmail(givenEmail), Self.looksLikeEmail(email) else {
            throw failure("'\(givenEmail)' is not an email address.")
        }
        guard let status = field("status")?.lowercased() else {
            throw failure("This row has no status. Use 'active' or 'terminated'.")
        }
        var terminationDate: String?
        var unreadable: UnreadableDate?
        if let date = field("termination_date") {
            if let parsed = Timestamp.parse(date) {
                terminationDate = Timestamp.day(from: parsed)
            } else if Timestamp.parseAnyYear(date) != nil {
                // A date, but before 1970: an HR system's placeholder (1900-01-01), never a leaving date
                // of someone with SaaS accounts. Unknown, and counted in the collect summary.
                unreadable = UnreadableDate(field: "termination_date", value: date)
            } else {
                // Text that is no date at all is a mistake in the file: the row's line says where.
                throw failure("The termination date '\(date)' is not a date. Write it as YYYY-MM-DD.")
            }
        }
        let person = Person(
            email: email, givenEmail: givenEmail, name: field("name"), department: field("department"),
            managerEmail: canonicalizer.canonicalEmail(field("manager_email")), status: status,
            terminationDate: terminationDate, line: line)
        return (person, unreadable)
    }

    /// Lines that quoted fields of a row span beyond the row's first.
    private static func extraLines(in row: [String]) -> Int {
        var count = 0
        for field in row where field.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
            for character in field where character == "\n" || character == "\r" || character == "\r\n" {
                count += 1
            }
        }
        return count
    }

    private static func looksLikeEmail(_ email: String) -> Bool {
        guard let at = email.firstIndex(of: "@") else { return false }
        return at != email.startIndex && email.index(after: at) != email.endIndex
            && !email.contains(where: \.isWhitespace)
    }

    private static func failure(_ source: String, _ file: String, _ line: Int?, _ message: String) -> CollectionError {
        CollectionError(source: source, location: line.map { "\(file):\($0)" } ?? file, message: message)
    }

    /// The error of a file the reader could not go on reading; `nil` at its
    /// end (which the reader also reports as an error, `cannotReadFile`).
    private static func readFailure(_ reader: CSVReader, _ source: String, _ file: String, _ line: Int) -> CollectionError? {
        switch reader.error as? CSVError {
        case .unicodeDecoding:
            failure(source, file, line, "The roster file is not UTF-8 text. Export it as CSV UTF-8.")
        case .streamErrorHasOccurred:
            failure(source, file, line, "The roster file could not be read to its end. Check the file, then run collect again.")
        default:
            nil
        }
    }
}

/// Where a roster's quotes leave a quoted field open: the CSV reader would
/// silently read the rest of the file into it. Fed the file's bytes in parts,
/// before any row is read.
struct QuoteBalance {
    /// The line of the quote that is never closed, if any.
    private(set) var unclosedAt: Int?
    private var line = 1

    /// Reads the next bytes of the file (`"` and a line feed are single
    /// bytes in UTF-8, never part of another character).
    mutating func scan(_ bytes: some Sequence<UInt8>) {
        for byte in bytes {
            if byte == UInt8(ascii: "\"") {
                unclosedAt = unclosedAt == nil ? line : nil
            } else if byte == UInt8(ascii: "\n") {
                line += 1
            }
        }
    }
}
