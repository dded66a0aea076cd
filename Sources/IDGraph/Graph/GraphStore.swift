import Foundation
import GRDB

/// The identity graph in SQLite: snapshots, source runs and the rows they hold.
///
/// Takes any `DatabaseWriter`, so tests run on an in-memory queue and the
/// command line on a WAL-mode pool. Rows of a source run are written in
/// batches but stay invisible to the views until ``completeSourceRun(_:stats:)``
/// marks the run `ok` in one transaction.
public struct GraphStore: Sendable {
    /// The database, written only by the store's own methods (in `Graph/`): every other part
    /// reads through ``reader`` and asks the store to write (`GraphStoreBoundaryTests`).
    let writer: any DatabaseWriter
    /// The lock that makes this process the database's one writer (files only).
    private let lock: WriterLock?

    /// The database for reading: report writers, queries and the evidence pack read through it.
    public var reader: any DatabaseReader { writer }

    /// The database file's path (`:memory:` for an in-memory graph), for messages.
    public var path: String { writer.path }

    /// Wraps `writer` and brings its schema up to date.
    public init(_ writer: any DatabaseWriter) throws {
        try self.init(writer, lock: nil)
    }

    private init(_ writer: any DatabaseWriter, lock: WriterLock?, migrating: Bool = true) throws {
        self.writer = writer
        self.lock = lock
        if migrating { try GraphSchema.migrator.migrate(writer) }
    }

    /// The connection settings every idgraph database uses.
    public static func configuration(readonly: Bool = false) -> GRDB.Configuration {
        var config = GRDB.Configuration()
        config.foreignKeysEnabled = true
        config.readonly = readonly
        config.busyMode = .timeout(30)
        config.prepareDatabase { db in
            if !db.configuration.readonly {
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
        }
        return config
    }

    /// Opens the database at `path` in WAL mode, as its one writer: throws ``DatabaseBusyError``
    /// while another process writes to it (``WriterLock``).
    ///
    /// With `create` (collect), a missing or empty file becomes a new graph; without it (review and
    /// the commands that only read the graph) a missing file is an error, so a mistyped `--db` never
    /// yields an empty "0 findings" report. A SQLite file idgraph did not create, or one written by a
    /// newer idgraph, is refused and left untouched.
    public static func open(path: String, create: Bool = true) throws -> GraphStore {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        if size == nil, !create {
            throw GraphDatabaseError(
                path: path,
                reason: "there is no graph database there. Check --db (or 'database:' in the config), or run idgraph collect first.")
        }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw StoreError(path: path, underlying: error)
        }
        let lock = try WriterLock(database: path)
        // Checked read-only first: a file that is not an idgraph graph is never changed, not even its journal mode.
        if let size, size > 0 {
            _ = try checkIsGraph(path: path)
        }
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration())
        } catch {
            throw StoreError(path: path, underlying: error)
        }
        do {
            return try GraphStore(pool, lock: lock)
        } catch {
            throw StoreError(path: path, underlying: error)
        }
    }

    /// Opens the graph at `path` for a command that only reads it (`campaign status` and
    /// `worksheets`, `diff`, `leavers`, `evidence create`): read-only and without the writer's
    /// lock, so it runs while a `collect` or `review` writes, reading one consistent state of the
    /// graph (WAL). A graph an older idgraph wrote is first brought up to date, as its writer.
    /// Its store's write methods fail (the database is read-only).
    public static func openForReading(path: String) throws -> GraphStore {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        guard let size, size > 0, try checkIsGraph(path: path) else { return try open(path: path, create: false) }
        do {
            return try GraphStore(DatabasePool(path: path, configuration: configuration(readonly: true)), lock: nil, migrating: false)
        } catch {
            throw StoreError(path: path, underlying: error)
        }
    }

    /// Looks at the database at `path` read-only and refuses one with tables but no idgraph
    /// migrations, or with migrations this idgraph does not know; returns whether every migration
    /// it knows is applied.
    private static func checkIsGraph(path: String) throws -> Bool {
        let (tables, applied): ([String], [String])
        do {
            let reader = try DatabaseQueue(path: path, configuration: configuration(readonly: true))
            defer { try? reader.close() }
            (tables, applied) = try reader.read { db in
                let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
                let applied = tables.contains("grdb_migrations")
                    ? try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") : []
                return (tables, applied)
            }
        } catch {
            throw GraphDatabaseError(path: path, reason: "it is not a SQLite database idgraph can read (\(error)). Check --db or 'database:'.")
        }
        guard !tables.isEmpty else { return false }
        guard applied.contains("v1-graph") else {
            throw GraphDatabaseError(
                path: path,
                reason: "it is a SQLite database idgraph did not create (tables: \(tables.prefix(5).joined(separator: ", "))), and idgraph never adds tables to another program's database. Check --db or 'database:'.")
        }
        let known = Set(GraphSchema.migrator.migrations)
        let unknown = applied.filter { !known.contains($0) }
        guard unknown.isEmpty else {
            throw GraphDatabaseError(
                path: path,
                reason: "it was written by a newer idgraph (schema \(unknown.joined(separator: ", "))). Use that version of idgraph, or a copy of the database made before it.")
        }
        return known.isSubset(of: applied)
    }

    /// A new empty graph in memory, for tests.
    static func inMemory() throws -> GraphStore {
        try GraphStore(DatabaseQueue(configuration: configuration()))
    }

    // MARK: Snapshots and runs

    /// Starts a snapshot (a run of `collect`).
    public func beginSnapshot(at date: Date = Date()) async throws -> Int64 {
        try await writer.write { db in
            try db.execute(
                sql: "INSERT INTO snapshot (started_at, status) VALUES (?, 'running')",
                arguments: [Timestamp.string(from: date)])
            return db.lastInsertedRowID
        }
    }

    /// Finishes a snapshot; marked last, after every source run.
    public func finishSnapshot(_ id: Int64, status: SnapshotStatus, at date: Date = Date()) async throws {
        try await writer.write { db in
            try db.execute(
                sql: "UPDATE snapshot SET status = ?, finished_at = ? WHERE id = ?",
                arguments: [status.rawValue, Timestamp.string(from: date), id])
        }
    }

    /// Marks runs that a killed `collect` left `running` as failed, and drops
    /// their rows, which no view ever showed.
    public func abandonInterruptedRuns() async throws {
        try await writer.write { db in
            let stale = try Int64.fetchAll(db, sql: "SELECT id FROM source_run WHERE status = 'running'")
            for id in stale {
                try Self.deleteRows(db, run: id)
            }
            try db.execute(
                sql: """
                    UPDATE source_run SET status = 'failed',
                        error = 'interrupted: the collection was stopped before this source finished'
                    WHERE status = 'running'
                    """)
            try db.execute(sql: "UPDATE snapshot SET status = 'failed' WHERE status = 'running'")
        }
    }

    /// Starts collecting one source into `snapshot`.
    public func beginSourceRun(
        snapshot: Int64, source: String, kind: SourceKind, exposes: SourceDescriptor.Exposure? = nil, at date: Date = Date()
    ) async throws -> Int64 {
        let exposes = exposes ?? kind.descriptor?.exposes
        return try await writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO source_run (snapshot_id, source, kind, status, started_at, has_activity, has_admin)
                    VALUES (?, ?, ?, 'running', ?, ?, ?)
                    """,
                arguments: [
                    snapshot, source, kind.rawValue, Timestamp.string(from: date), exposes?.activity ?? false,
                    exposes?.admin ?? false,
                ])
            return db.lastInsertedRowID
        }
    }

    /// Makes a run's rows the source's current data, in one transaction with its
    /// `evidence` (population, whose token, request journal), and returns the
    /// statistics as recorded (the rows' counts as stored).
    @discardableResult
    public func completeSourceRun(
        _ run: Int64, stats: SourceRunStats, seconds: Double, evidence: SourceRunEvidence = SourceRunEvidence(),
        at date: Date = Date()
    ) async throws -> SourceRunStats {
        try await writer.write { db in
            // What is stored, not what was handed over: a record listed twice
            // (a page that shifted, a listing read again) is one row.
            var stored = stats
            func count(_ table: String) throws -> Int {
                try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table) WHERE source_run_id = ?", arguments: [run]) ?? 0
            }
            stored.accounts = try count("account")
            stored.duplicates = max(0, stats.accounts - stored.accounts)
            stored.containers = try count("container")
            stored.memberships = try count("membership")
            try Self.record(db, run: run, status: .ok, error: nil, stats: stored, seconds: seconds, at: date)
            try Self.record(db, run: run, evidence: evidence)
            return stored
        }
    }

    /// Marks a run failed and drops its partial rows; the source's previous
    /// good data stays current, now stale. Its `evidence` is kept: the request
    /// journal shows what failed, and the population what was known.
    public func failSourceRun(
        _ run: Int64, error: String, stats: SourceRunStats, seconds: Double,
        evidence: SourceRunEvidence = SourceRunEvidence(), at date: Date = Date()
    ) async throws {
        try await writer.write { db in
            try Self.deleteRows(db, run: run)
            try Self.record(db, run: run, status: .failed, error: error, stats: stats, seconds: seconds, at: date)
            try Self.record(db, run: run, evidence: evidence)
        }
    }

    /// Writes a run's population, whose token it was, and its request journal (one prepared
    /// statement for every entry: a large tenant sends thousands of requests).
    private static func record(_ db: Database, run: Int64, evidence: SourceRunEvidence) throws {
        try db.execute(
            sql: "UPDATE source_run SET reported_total = ?, listed = ?, pages = ?, list_end = ?, acting_as = ? WHERE id = ?",
            arguments: [
                evidence.reportedTotal, evidence.listed, evidence.pages, text(evidence.listEnd), text(evidence.actingAs), run,
            ])
        guard !evidence.journal.isEmpty else { return }
        let statement = try db.makeStatement(
            sql: """
                INSERT INTO request_log (source_run_id, seq, sent_at, method, path, status, records, bytes, sha256, milliseconds)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for entry in evidence.journal {
            try statement.execute(arguments: [
                run, entry.seq, Timestamp.string(from: entry.sentAt), entry.method, text(entry.path), entry.status,
                entry.records, entry.bytes, entry.sha256, entry.milliseconds,
            ])
        }
    }

    private static func record(
        _ db: Database, run: Int64, status: SourceRunStatus, error: String?, stats: SourceRunStats, seconds: Double, at date: Date
    ) throws {
        try db.execute(
            sql: """
                UPDATE source_run SET status = ?, error = ?, finished_at = ?, seconds = ?, requests = ?,
                    retries = ?, waits = ?, wait_seconds = ?, accounts = ?, containers = ?, memberships = ?,
                    people = ?, duplicates = ?
                WHERE id = ?
                """,
            arguments: [
                status.rawValue, error, Timestamp.string(from: date), seconds, stats.requests, stats.retries, stats.waits,
                stats.waitSeconds, stats.accounts, stats.containers, stats.memberships, stats.people,
                stats.duplicates, run,
            ])
    }

    /// Drops a run's collected rows; its `request_log` stays (the evidence of what a failed run did).
    private static func deleteRows(_ db: Database, run: Int64) throws {
        for table in ["account", "container", "membership", "container_edge", "person"] {
            try db.execute(sql: "DELETE FROM \(table) WHERE source_run_id = ?", arguments: [run])
        }
    }

    // MARK: Rows

    /// `value` as stored: SQLite ends bound text at a U+0000, so `ceo@acme.com\u{0}@evil.example`
    /// would be stored as the CEO's address. A U+0000 is kept visibly, as `<U+0000>`: the value is
    /// never cut short, and never merges with another.
    static func text(_ value: String) -> String {
        guard value.utf8.contains(0) else { return value }
        var kept = ""
        for scalar in value.unicodeScalars {
            if scalar.value == 0 { kept += "<U+0000>" } else { kept.unicodeScalars.append(scalar) }
        }
        return kept
    }

    static func text(_ value: String?) -> String? { value.map(text) }

    /// Writes accounts of a run, computing each canonical email once. An id
    /// listed twice (a page that shifted under the collector) keeps the last.
    public func insert(_ accounts: [Account], run: Int64, canonicalizer: EmailCanonicalizer) async throws {
        guard !accounts.isEmpty else { return }
        try await writer.write { db in
            let statement = try db.cachedStatement(
                sql: """
                    INSERT OR REPLACE INTO account
                        (source_run_id, account_id, email, canonical_email, name, role, is_admin, status,
                         last_seen, created, account_type)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for a in accounts {
                let email = Self.text(a.email)
                try statement.execute(arguments: [
                    run, Self.text(a.accountID), email, canonicalizer.canonicalEmail(email), Self.text(a.name),
                    Self.text(a.role), a.isAdmin,
                    a.status.rawValue, a.lastSeen.map(Timestamp.string(from:)), a.created.map(Timestamp.string(from:)),
                    a.accountType.rawValue,
                ])
            }
        }
    }

    /// Writes containers of a run.
    public func insert(_ containers: [Container], run: Int64) async throws {
        guard !containers.isEmpty else { return }
        try await writer.write { db in
            let statement = try db.cachedStatement(
                sql: "INSERT OR REPLACE INTO container (source_run_id, container_id, type, name) VALUES (?, ?, ?, ?)")
            for c in containers {
                try statement.execute(arguments: [run, Self.text(c.containerID), c.type.rawValue, Self.text(c.name)])
            }
        }
    }

    /// Writes memberships of a run.
    public func insert(_ memberships: [Membership], run: Int64) async throws {
        guard !memberships.isEmpty else { return }
        try await writer.write { db in
            let statement = try db.cachedStatement(
                sql: "INSERT OR REPLACE INTO membership (source_run_id, container_id, account_id, role) VALUES (?, ?, ?, ?)")
            for m in memberships {
                try statement.execute(arguments: [run, Self.text(m.containerID), Self.text(m.accountID), Self.text(m.role)])
            }
        }
    }

    /// Writes credentials of a run (never a secret: ``Credential`` holds none).
    public func insert(_ credentials: [Credential], run: Int64) async throws {
        guard !credentials.isEmpty else { return }
        try await writer.write { db in
            let statement = try db.cachedStatement(
                sql: """
                    INSERT OR REPLACE INTO credential (source_run_id, credential_id, account_id, kind, name, created, expires, revoked)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for c in credentials {
                try statement.execute(arguments: [
                    run, Self.text(c.credentialID), Self.text(c.accountID), c.kind, Self.text(c.name),
                    c.created.map(Timestamp.string(from:)), c.expires.map(Timestamp.string(from:)), c.revoked,
                ])
            }
        }
    }

    /// Writes container nesting of a run.
    public func insert(_ edges: [ContainerEdge], run: Int64) async throws {
        guard !edges.isEmpty else { return }
        try await writer.write { db in
            let statement = try db.cachedStatement(
                sql: "INSERT OR IGNORE INTO container_edge (source_run_id, parent_id, child_id) VALUES (?, ?, ?)")
            for e in edges {
                try statement.execute(arguments: [run, Self.text(e.parentID), Self.text(e.childID)])
            }
        }
    }

    /// Writes roster people of a run and returns how many people the run
    /// holds now. A person already stored in the run (a re-hire listed twice)
    /// stays one row: the new row replaces it unless the stored row is active
    /// and the new one is not (``Person/replaces(_:)``).
    @discardableResult
    public func insert(_ people: [Person], run: Int64) async throws -> Int {
        try await writer.write { db in
            let statement = try db.cachedStatement(
                sql: """
                    INSERT INTO person
                        (source_run_id, email, given_email, name, department, manager_email, status,
                         termination_date, line)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (source_run_id, email) DO UPDATE SET
                        given_email = excluded.given_email, name = excluded.name,
                        department = excluded.department, manager_email = excluded.manager_email,
                        status = excluded.status, termination_date = excluded.termination_date,
                        line = excluded.line
                    WHERE excluded.status = 'active' OR person.status <> 'active'
                    """)
            for p in people {
                try statement.execute(arguments: [
                    run, Self.text(p.email), Self.text(p.givenEmail), Self.text(p.name), Self.text(p.department),
                    Self.text(p.managerEmail), p.status, p.terminationDate, p.line,
                ])
            }
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM person WHERE source_run_id = ?", arguments: [run]) ?? 0
        }
    }
}

/// The file named as the graph database is not one this idgraph may use.
public struct GraphDatabaseError: IDGraphError {
    /// The database path.
    public var path: String
    /// Why, and what to do.
    public var reason: String

    public var exitStatus: ExitStatus { .usage }
    public var description: String { "Cannot use \(path) as the graph database: \(reason)" }
}

/// The graph database could not be opened or written.
public struct StoreError: IDGraphError {
    /// The database path.
    public var path: String
    /// What SQLite or the file system said.
    public var underlying: any Error

    /// Creates a store error.
    public init(path: String, underlying: any Error) {
        self.path = path
        self.underlying = underlying
    }

    public var exitStatus: ExitStatus { .failure }
    public var description: String {
        if let disk = DiskWriteError(
            underlying, subject: "Opening the graph database", path: path,
            consequence: "Nothing was changed.", command: "the command")
        {
            return disk.description
        }
        return "Cannot use the graph database at \(path): \(underlying). Check that the path is writable and is an idgraph database."
    }
}
