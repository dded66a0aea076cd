import CSV
import Foundation

/// Reads the HR roster CSV (the README: `email,name,department,manager_email,status,termination_date`).
///
/// Tolerates a byte-order mark, CRLF, quoted fields, extra columns in any
/// order, missing optional columns and blank lines. A row that cannot be read
/// is an error naming the file and line, so a reviewer never works from a
/// roster that silently lost people. A person listed twice (a re-hire: one
/// terminated row, one active row) is active.
///
/// ``collect(into:)`` streams the file into the store in batches, so a large
/// roster is never held in memory; the store merges a person listed twice
/// (``GraphStore/insert(_:run:)``), by the same rule as ``read()``.
public struct RosterCollector: Collector {
    static let descriptor = SourceDescriptor(
        kind: .roster, displayName: "HR roster",
        keys: [
            .required(
                "path", "the HR export (CSV: email,name,department,manager_email,status,termination_date), relative to this file",
                example: "hr.csv")
        ],
        authentication: .none,
        exposes: .init(activity: false, admin: false), isRoster: true,
        makeCollector: { source, context in
            var collector = RosterCollector(source: source, canonicalizer: context.configuration.canonicalizer)
            collector.allowEmpty = context.allowEmptyRoster
            return collector
        },
        check: { probe in
            RosterCollector(source: probe.source, canonicalizer: probe.context.configuration.canonicalizer).check()
        })

    /// The columns a roster must have.
    public static let requiredColumns = ["email", "status"]
    /// The columns a roster may have.
    public static let optionalColumns = ["name", "department", "manager_email", "termination_date"]
    /// The rows stored at a time.
    static let batchSize = 5_000

    /// The roster source.
    public var source: SourceConfiguration
    /// Canonicalises emails and manager emails.
    public var canonicalizer: EmailCanonicalizer
    /// Whether a roster with no people is stored; otherwise the collect of it fails.
    public var allowEmpty = false

    /// Creates a roster collector.
    public init(source: SourceConfiguration, canonicalizer: EmailCanonicalizer) {
        self.source = source
        self.canonicalizer = canonicalizer
    }

    public func collect(into sink: SourceSink) async throws {
        var rows = try openFile()
        var batch: [Person] = []
        batch.reserveCapacity(Self.batchSize)
        var count = 0
        while let person = try rows.next() {
            count += 1
            batch.append(person)
            if batch.count == Self.batchSize {
                try await sink.add(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty { try await sink.add(batch) }
        await sink.add(rows.unreadableDates)
        // A file reports no total and has no pages: its population is the data rows read to its end.
        await sink.listedPopulation(
            ListingSummary(path: source.path?.lastPathComponent ?? "roster", received: count, end: ListingSummary.End.endOfFile.rawValue))
        if count == 0, !allowEmpty {
            throw CollectionError(
                source: source.name, location: source.path?.path,
                message: "The roster lists no people. Stored, it would make the next review flag every account orphaned, so the roster keeps its last good data. Check the export; if the company really has no one, run collect --allow-empty.")
        }
    }

    /// Whether the roster reads as a collect would read it, and how many people it lists.
    func check() -> [CheckLine] {
        let file = source.path?.lastPathComponent ?? "The roster"
        let people: [Person]
        do {
            people = try read()
        } catch {
            return [CheckAdvice.line(for: error, source: source)]
        }
        guard !people.isEmpty else {
            return [.failed("\(file) lists no people: a collect refuses it, since it would make every account orphaned, unless run with --allow-empty.")]
        }
        let active = people.filter(\.isActive).count
        return [.ok("\(file) reads cleanly: \(people.count) \(people.count == 1 ? "person" : "people"), \(active) of them active.")]
    }

    /// The roster's people, one per canonical email, in file order.
    public func read() throws(CollectionError) -> [Person] {
        var rows = try openFile()
        return try Self.merged(&rows)
    }

    /// Parses roster `text` read from `file`: its people, one per canonical email, in file order.
    public func parse(_ text: String, file: String) throws(CollectionError) -> [Person] {
        var text = text
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        var quotes = QuoteBalance()
        quotes.scan(text.utf8)
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: false)
        } catch {
            throw CollectionError(
                source: source.name, location: "\(file):1", message: "The roster file cannot be read as CSV (\(error)).")
        }
        var rows = try RosterRows(reader, file: file, quotes: quotes, source: source.name, canonicalizer: canonicalizer)
        return try Self.merged(&rows)
    }

    /// The rows of the configured file, its quotes checked first.
    private func openFile() throws(CollectionError) -> RosterRows {
        guard let url = source.path else {
            throw CollectionError(source: source.name, message: "The roster source has no 'path'.")
        }
        let unreadable = CollectionError(
            source: source.name, location: url.path,
            message: "The roster file cannot be read. Check the 'path' of the source (relative to the config file).")
        // A device, pipe or folder would never end or never start: only a regular file is a roster.
        if let type = try? FileManager.default.attributesOfItem(atPath: url.path)[.type] as? FileAttributeType,
            type != .typeRegular
        {
            throw CollectionError(
                source: source.name, location: url.path,
                message: "The roster path is not a regular file (\(type == .typeDirectory ? "a folder" : "a device, pipe or socket")). Point 'path' at the exported CSV file.")
        }
        var quotes = QuoteBalance()
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            while let chunk = try handle.read(upToCount: 1 << 16), !chunk.isEmpty {
                quotes.scan(chunk)
            }
        } catch {
            throw unreadable
        }
        guard let stream = InputStream(url: url), let reader = try? CSVReader(stream: stream, hasHeaderRow: false) else {
            throw unreadable
        }
        return try RosterRows(reader, file: url.path, quotes: quotes, source: source.name, canonicalizer: canonicalizer)
    }

    /// Reads every row, keeping one person per canonical email in file order
    /// (the rule of ``Person/replaces(_:)``).
    private static func merged(_ rows: inout RosterRows) throws(CollectionError) -> [Person] {
        var byEmail: [String: Int] = [:]
        var people: [Person] = []
        while let person = try rows.next() {
            if let existing = byEmail[person.email] {
                if person.replaces(people[existing]) { people[existing] = person }
            } else {
                byEmail[person.email] = people.count
                people.append(person)
            }
        }
        return people
    }
}

extension SourceKind {
    /// The HR roster (a CSV file).
    public static let roster = SourceKind(rawValue: "roster")
}
