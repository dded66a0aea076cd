import Foundation
import GRDB
import GRDBSQLite
import IDGraph

/// Writes accounts and memberships through idgraph's store and through the raw
/// SQLite C API (one prepared statement, one transaction) on the same rows.
struct IngestBenchmark {
    var accounts: Int
    var membershipsPerAccount: Int

    /// Deterministic rows: the same for both writers.
    func rows() -> ([Account], [Membership]) {
        var accountRows: [Account] = []
        var membershipRows: [Membership] = []
        accountRows.reserveCapacity(accounts)
        membershipRows.reserveCapacity(accounts * membershipsPerAccount)
        let created = Date(timeIntervalSince1970: 1_700_000_000)
        for i in 0..<accounts {
            let id = String(100_000 + i)
            accountRows.append(Account(
                accountID: id, email: "Person.\(i)@Acme.com", name: "Person \(i)", role: i % 50 == 0 ? "admin" : "member",
                isAdmin: i % 50 == 0, status: i % 10 == 0 ? .inactive : .active,
                lastSeen: created.addingTimeInterval(Double(i)), created: created))
            for k in 0..<membershipsPerAccount {
                membershipRows.append(Membership(containerID: "g\((i + k * 7919) % 2_000)", accountID: id, role: "member"))
            }
        }
        return (accountRows, membershipRows)
    }

    func run() async throws -> [String] {
        let (accountRows, membershipRows) = rows()
        let total = Double(accountRows.count + membershipRows.count)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("idgraph-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        // Raw: the reference.
        let rawSeconds = try measure { try rawInsert(accountRows, membershipRows, path: folder.appendingPathComponent("raw.sqlite").path) }

        // idgraph: pages of 1,000 through the sink, as a collector writes them.
        let store = try GraphStore.open(path: folder.appendingPathComponent("graph.sqlite").path)
        let snapshot = try await store.beginSnapshot()
        let run = try await store.beginSourceRun(snapshot: snapshot, source: "bench", kind: .procore)
        var source = SourceConfiguration(name: "bench", kind: .procore)
        source.maxConcurrency = 1
        let sink = SourceSink(source: source, store: store, run: run, canonicalizer: EmailCanonicalizer(), progress: .silent)
        let start = ContinuousClock.now
        for page in stride(from: 0, to: accountRows.count, by: 1_000) {
            try await sink.add(Array(accountRows[page..<min(page + 1_000, accountRows.count)]))
        }
        for page in stride(from: 0, to: membershipRows.count, by: 1_000) {
            try await sink.add(Array(membershipRows[page..<min(page + 1_000, membershipRows.count)]))
        }
        try await store.completeSourceRun(run, stats: await sink.stats, seconds: 0)
        let idgraphSeconds = (ContinuousClock.now - start).seconds

        return [
            row("raw SQLite (C API, 1 transaction)", total / rawSeconds, rawSeconds, reference: nil),
            row("idgraph store (pages of 1,000)", total / idgraphSeconds, idgraphSeconds, reference: total / rawSeconds),
            String(format: "| ingest | peak RSS of the process (rows held in memory for both writers) | %.0f MiB | | |", PeakMemory.ofThisProcessKiB().map { Double($0) / 1024 } ?? -1),
        ]
    }

    func row(_ name: String, _ rate: Double, _ seconds: Double, reference: Double?) -> String {
        let share = reference.map { String(format: "%5.1f%% of raw", 100 * rate / $0) } ?? "reference"
        return String(format: "| ingest | %@ | %.0f rows/s | %.2f s | %@ |", name, rate, seconds, share)
    }

    func rawInsert(_ accounts: [Account], _ memberships: [Membership], path: String) throws {
        var db: OpaquePointer?
        guard sqlite3_open(path, &db) == SQLITE_OK, let db else { throw BenchmarkError("cannot open \(path)") }
        defer { sqlite3_close(db) }
        func exec(_ sql: String) throws {
            guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else {
                throw BenchmarkError(String(cString: sqlite3_errmsg(db)))
            }
        }
        try exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;")
        try exec("""
            CREATE TABLE account (source_run_id INTEGER NOT NULL, account_id TEXT NOT NULL, email TEXT,
                canonical_email TEXT, name TEXT, role TEXT, is_admin INTEGER NOT NULL, status TEXT NOT NULL,
                last_seen TEXT, created TEXT, PRIMARY KEY (source_run_id, account_id)) WITHOUT ROWID;
            CREATE INDEX account_by_email ON account(canonical_email);
            CREATE TABLE membership (source_run_id INTEGER NOT NULL, container_id TEXT NOT NULL,
                account_id TEXT NOT NULL, role TEXT, PRIMARY KEY (source_run_id, container_id, account_id)) WITHOUT ROWID;
            CREATE INDEX membership_by_account ON membership(source_run_id, account_id);
            """)
        try exec("BEGIN")
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        var insertAccount: OpaquePointer?
        sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO account VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)", -1, &insertAccount, nil)
        let canonicalizer = EmailCanonicalizer()
        for a in accounts {
            sqlite3_bind_text(insertAccount, 1, a.accountID, -1, transient)
            sqlite3_bind_text(insertAccount, 2, a.email, -1, transient)
            sqlite3_bind_text(insertAccount, 3, canonicalizer.canonicalEmail(a.email), -1, transient)
            sqlite3_bind_text(insertAccount, 4, a.name, -1, transient)
            sqlite3_bind_text(insertAccount, 5, a.role, -1, transient)
            sqlite3_bind_int(insertAccount, 6, a.isAdmin ? 1 : 0)
            sqlite3_bind_text(insertAccount, 7, a.status.rawValue, -1, transient)
            sqlite3_bind_text(insertAccount, 8, a.lastSeen.map(Timestamp.string(from:)), -1, transient)
            sqlite3_bind_text(insertAccount, 9, a.created.map(Timestamp.string(from:)), -1, transient)
            guard sqlite3_step(insertAccount) == SQLITE_DONE else { throw BenchmarkError(String(cString: sqlite3_errmsg(db))) }
            sqlite3_reset(insertAccount)
        }
        sqlite3_finalize(insertAccount)
        var insertMembership: OpaquePointer?
        sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO membership VALUES (1, ?, ?, ?)", -1, &insertMembership, nil)
        for m in memberships {
            sqlite3_bind_text(insertMembership, 1, m.containerID, -1, transient)
            sqlite3_bind_text(insertMembership, 2, m.accountID, -1, transient)
            sqlite3_bind_text(insertMembership, 3, m.role, -1, transient)
            guard sqlite3_step(insertMembership) == SQLITE_DONE else { throw BenchmarkError(String(cString: sqlite3_errmsg(db))) }
            sqlite3_reset(insertMembership)
        }
        sqlite3_finalize(insertMembership)
        try exec("COMMIT")
    }
}

/// A benchmark that could not run.
struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Seconds that `body` takes.
func measure(_ body: () throws -> Void) rethrows -> Double {
    let start = ContinuousClock.now
    try body()
    return (ContinuousClock.now - start).seconds
}
