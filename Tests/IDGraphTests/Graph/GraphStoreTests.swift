import Foundation
import GRDB
import Testing

@testable import IDGraph

@Suite struct GraphStoreTests {
    static let specViews: [String: [String]] = [
        "people": ["email", "name", "department", "manager_email", "status", "termination_date", "source"],
        "accounts": [
            "source", "kind", "account_id", "email", "canonical_email", "name", "role", "is_admin", "status",
            "last_seen", "created", "person_email", "stale", "collected_at", "account_type",
        ],
        "containers": ["source", "container_id", "type", "name"],
        "memberships": ["source", "account_id", "container_id", "role"],
        "snapshots": ["id", "started_at", "finished_at", "status"],
        "source_runs": [
            "snapshot_id", "source", "status", "error", "requests", "accounts", "seconds", "has_activity", "has_admin",
            "duplicates",
        ],
        "findings": ["rule", "severity", "source", "account_id", "email", "name", "detail", "as_of"],
        "effective_memberships": ["source", "account_id", "container_id", "role", "path"],
        "campaigns": ["name", "status", "started_at", "due", "closed_at", "undecided", "allow_stale", "sources", "items", "decided"],
        "campaign_items": [
            "campaign", "item", "source", "account_id", "person_email", "role", "is_admin", "memberships", "findings",
            "reviewer", "assigned_reviewer", "reviewer_reason", "fingerprint", "decision", "reason", "decided_by", "decided_at",
        ],
        "decisions": ["campaign", "item", "source", "account_id", "decision", "reason", "reviewer", "decided_at", "file_sha256"],
        "campaign_progress": ["campaign", "reviewer", "assigned", "decided", "left"],
        "credentials": ["source", "kind", "credential_id", "account_id", "owner_email", "name", "created", "expires", "revoked"],
        "remediation": ["campaign", "item", "source", "account_id", "origin", "action", "due", "state", "detail", "snapshot_id", "checked_at"],
    ]

    @Test func migrationsCreateEverySpecViewWithItsColumns() throws {
        let store = try GraphStore.inMemory()
        try store.writer.read { db in
            for (view, columns) in Self.specViews {
                let actual = try db.columns(in: view).map(\.name)
                for column in columns {
                    #expect(actual.contains(column), "view \(view) lacks \(column)")
                }
            }
            #expect(try db.tableExists("account"))
            let applied = try GraphSchema.migrator.appliedMigrations(db)
            #expect(applied == ["v1-graph", "v2-review-indexes", "v3-account-type-and-coverage", "v4-duplicate-records", "v5-campaigns", "v6-remediation", "v7-credentials", "v8-evidence", "v9-non-human-index"])
        }
    }

    @Test func migratingTwiceIsHarmless() throws {
        let queue = try DatabaseQueue()
        _ = try GraphStore(queue)
        _ = try GraphStore(queue)
        let done = try queue.read { db in try GraphSchema.migrator.hasCompletedMigrations(db) }
        #expect(done)
    }

    /// A command that only reads opens the graph without the writer's lock, so it runs beside a
    /// writer; it cannot write.
    @Test func aGraphOpenedForReadingNeedsNoLockAndCannotWrite() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("idgraph-reading-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("graph.sqlite").path
        let writer = try GraphStore.open(path: path)
        let snapshot = try await writer.beginSnapshot()
        try await writer.finishSnapshot(snapshot, status: .ok)

        #expect(throws: DatabaseBusyError.self) { try GraphStore.open(path: path) }
        let reading = try GraphStore.openForReading(path: path)
        let snapshots = try await reading.reader.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM snapshots") }
        #expect(snapshots == 1)
        await #expect(throws: DatabaseError.self) { _ = try await reading.beginSnapshot() }
    }

    /// A graph an older idgraph wrote is brought up to date when a reading command opens it.
    @Test func aGraphOpenedForReadingIsFirstBroughtUpToDate() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("idgraph-reading-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("graph.sqlite").path
        do {
            let old = try DatabaseQueue(path: path, configuration: GraphStore.configuration())
            try GraphSchema.migrator.migrate(old, upTo: "v8-evidence")
            try old.close()
        }
        let reading = try GraphStore.openForReading(path: path)
        let applied = try reading.reader.read { db in try GraphSchema.migrator.appliedMigrations(db) }
        #expect(applied.last == "v9-non-human-index")
    }

    @Test func canonicalEmailIsComputedOnceAtWriteTime() async throws {
        let graph = try await GraphFixture(roster: false, aliases: ["acme.io": "acme.com"])
        try await graph.collect("app", kind: .processStreet, accounts: [
            Account(accountID: "1", email: " Ana@ACME.io", name: "Ana", status: .active)
        ])
        try await graph.collect("hr", kind: .roster, people: [person("ana@acme.com")])
        let row = try graph.store.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT email, canonical_email, person_email, stale FROM accounts")
        }
        #expect(row?["email"] == " Ana@ACME.io")
        #expect(row?["canonical_email"] == "ana@acme.com")
        #expect(row?["person_email"] == "ana@acme.com")
        #expect(row?["stale"] == false)
    }

    @Test func aFailedRunKeepsThePreviousDataMarkedStale() async throws {
        let graph = try await GraphFixture(roster: false)
        try await graph.collect("app", kind: .processStreet, accounts: [
            Account(accountID: "1", email: "a@acme.com", name: "A", status: .active)
        ])
        let snapshot = try await graph.store.beginSnapshot()
        let run = try await graph.store.beginSourceRun(snapshot: snapshot, source: "app", kind: .processStreet)
        try await graph.store.insert(
            [Account(accountID: "2", email: "b@acme.com", name: "B", status: .active)], run: run,
            canonicalizer: EmailCanonicalizer())
        try await graph.store.failSourceRun(run, error: "boom", stats: SourceRunStats(), seconds: 1)
        let rows = try graph.store.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT account_id, stale FROM accounts")
        }
        #expect(rows.map { $0["account_id"] as String } == ["1"])
        #expect(rows.first?["stale"] == true)
        let leftovers = try await graph.store.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM account WHERE source_run_id = ?", arguments: [run])
        }
        #expect(leftovers == 0)
    }

    @Test func anUnfinishedRunIsInvisibleAndAbandonedByTheNextCollect() async throws {
        let graph = try await GraphFixture(roster: false)
        try await graph.collect("app", kind: .processStreet, accounts: [
            Account(accountID: "1", email: "a@acme.com", name: "A", status: .active)
        ])
        // A collect that was killed mid-write: rows written, run never completed.
        let snapshot = try await graph.store.beginSnapshot()
        let run = try await graph.store.beginSourceRun(snapshot: snapshot, source: "app", kind: .processStreet)
        try await graph.store.insert(
            [Account(accountID: "2", email: "b@acme.com", name: "B", status: .active)], run: run,
            canonicalizer: EmailCanonicalizer())
        var ids = try await graph.store.writer.read { db in try String.fetchAll(db, sql: "SELECT account_id FROM accounts") }
        #expect(ids == ["1"])
        try await graph.store.abandonInterruptedRuns()
        ids = try await graph.store.writer.read { db in try String.fetchAll(db, sql: "SELECT account_id FROM accounts") }
        #expect(ids == ["1"])
        let status = try await graph.store.writer.read { db in
            try String.fetchOne(db, sql: "SELECT status FROM source_runs WHERE snapshot_id = ?", arguments: [snapshot])
        }
        #expect(status == "failed")
    }

    @Test func aLaterGoodRunReplacesTheCurrentDataAndKeepsHistory() async throws {
        let graph = try await GraphFixture(roster: false)
        try await graph.collect("app", kind: .processStreet, accounts: [
            Account(accountID: "1", email: "a@acme.com", name: "A", status: .active)
        ])
        try await graph.collect("app", kind: .processStreet, accounts: [
            Account(accountID: "1", email: "a@acme.com", name: "A", status: .inactive),
            Account(accountID: "2", email: "b@acme.com", name: "B", status: .active),
        ])
        let (current, history) = try graph.store.writer.read { db in
            (
                try Row.fetchAll(db, sql: "SELECT account_id, status FROM accounts ORDER BY 1"),
                try Int.fetchOne(db, sql: "SELECT count(*) FROM account_history")
            )
        }
        #expect(current.map { $0["status"] as String } == ["inactive", "active"])
        #expect(history == 3)
    }

    @Test func nestedGroupsGiveEffectiveMembershipsWithAPath() async throws {
        let graph = try await GraphFixture(roster: false)
        try await graph.collect(
            "pm", kind: .processMaker,
            accounts: [Account(accountID: "u1", email: "a@acme.com", name: "A", status: .active)],
            containers: [
                Container(containerID: "g1", type: .group, name: "Admins"),
                Container(containerID: "g2", type: .group, name: "Ops"),
            ],
            memberships: [Membership(containerID: "g2", accountID: "u1")],
            edges: [ContainerEdge(parentID: "g1", childID: "g2"), ContainerEdge(parentID: "g2", childID: "g1")])
        let rows = try graph.store.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT container_id, path, direct FROM effective_memberships ORDER BY path")
        }
        #expect(rows.count == 2, "the cycle g1 ⇄ g2 must not loop")
        #expect(rows.map { $0["path"] as String } == ["g2", "g2 > g1"])
        #expect(rows.map { $0["direct"] as Bool } == [true, false])
        let direct = try await graph.store.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM memberships") }
        #expect(direct == 1)
    }
}

/// A U+0000 in an identity never cuts it short or merges it with another.
@Suite struct NulInIdentityTests {
    @Test func anEmailWithANulIsKeptWholeAndJoinsNobody() async throws {
        let graph = try await GraphFixture(roster: false)
        try await graph.collect("app", kind: .processStreet, accounts: [
            Account(accountID: "1", email: "ceo@acme.com", name: "CEO", status: .active),
            Account(accountID: "1\u{0}x", email: "ceo@acme.com\u{0}@evil.example", name: "Not the CEO", status: .active),
        ])
        let rows = try graph.store.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT account_id, canonical_email FROM accounts ORDER BY account_id")
        }
        #expect(rows.count == 2)
        #expect(rows.map { $0["account_id"] as String } == ["1", "1<U+0000>x"])
        #expect(rows.map { $0["canonical_email"] as String } == ["ceo@acme.com", "ceo@acme.com<u+0000>@evil.example"])
    }
}

/// Accounts an API lists twice under one id are stored once, and counted.
@Suite struct DuplicateRecordTests {
    @Test func duplicatesAreCountedInSourceRunsAndTheSummary() async throws {
        let store = try GraphStore.inMemory()
        let source = SourceConfiguration(name: "app", kind: .processMaker)
        let snapshot = try await store.beginSnapshot()
        let run = try await store.beginSourceRun(snapshot: snapshot, source: "app", kind: .processMaker)
        let sink = SourceSink(source: source, store: store, run: run, canonicalizer: EmailCanonicalizer(), progress: .silent)
        let page = (1...3).map { Account(accountID: "\($0)", email: "u\($0)@acme.com", name: nil, status: .active) }
        try await sink.add(page)
        try await sink.add(Array(page.prefix(2)))  // the next page overlapped the first
        let stats = try await store.completeSourceRun(run, stats: await sink.stats, seconds: 1)
        #expect(stats.accounts == 3 && stats.duplicates == 2)
        let row = try store.writer.read { db in try Row.fetchOne(db, sql: "SELECT accounts, duplicates FROM source_runs") }
        #expect(row?["accounts"] == 3 && row?["duplicates"] == 2)
        let outcome = SourceOutcome(source: "app", kind: .processMaker, failure: nil, stats: stats, seconds: 1)
        #expect(outcome.summary.contains("3 accounts") && outcome.summary.contains("2 accounts listed twice"))
    }
}
