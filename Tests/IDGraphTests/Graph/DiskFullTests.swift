import Foundation
import GRDB
import Testing

@testable import IDGraph

/// A disk with no room left fails the source (or the review) that was writing, with a message that
/// says so, and the previous data stay what every view shows.
///
/// The disk is "full" through SQLite's own limit, `PRAGMA max_page_count`, set on the store's one
/// writer connection: writes past it fail with the real `SQLITE_FULL` through the real write path.
/// (A small tmpfs would need mount rights a test cannot count on.)
@Suite struct DiskFullTests {
    /// A folder with a roster of `people` people and a configuration naming it.
    static func project(people: Int) throws -> (IDGraph.Configuration, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("disk-full-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try writeRoster(people: people, in: folder)
        let yaml = "sources:\n  - name: hr\n    kind: roster\n    path: hr.csv\n"
        let configuration = try ConfigurationLoader(environment: [:])
            .parse(yaml, file: folder.appendingPathComponent("idgraph.yaml").path)
        return (configuration, folder)
    }

    static func writeRoster(people: Int, in folder: URL) throws {
        let rows = (1...people).map { "p\($0)@acme.com,Person \($0) with a name long enough to fill pages,active," }
        try (["email,name,status,termination_date"] + rows).joined(separator: "\n")
            .write(to: folder.appendingPathComponent("hr.csv"), atomically: true, encoding: .utf8)
    }

    /// Lets the database grow by at most `pages` pages from now on.
    static func limitGrowth(of store: GraphStore, to pages: Int) throws {
        try store.writer.writeWithoutTransaction { db in
            let count = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            try db.execute(sql: "PRAGMA max_page_count = \(count + pages)")
        }
    }

    static func removeLimit(of store: GraphStore) throws {
        try store.writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA max_page_count = 1073741823") }
    }

    @Test func aFullDiskFailsTheSourceAndKeepsItsPreviousData() async throws {
        let (configuration, folder) = try Self.project(people: 3)
        let path = folder.appendingPathComponent("idgraph.sqlite").path
        let store = try GraphStore.open(path: path)
        let first = try await CollectionRun(configuration: configuration, store: store).run()
        #expect(first.exitStatus == .success)

        try Self.writeRoster(people: 20_000, in: folder)
        try Self.limitGrowth(of: store, to: 4)
        let second = try await CollectionRun(configuration: configuration, store: store).run()
        #expect(second.exitStatus == .failure)
        let error = try #require(second.outcomes.first?.error)
        #expect(second.outcomes.first?.failure?.kind == .storeFailed)
        #expect(error.contains("source 'hr'"), "\(error)")
        #expect(error.contains("the disk is full"), "\(error)")
        #expect(error.contains("Nothing of this run was stored for the source: it keeps its previous data, marked stale."), "\(error)")
        #expect(error.contains("Free space on the disk that holds \(path) and run idgraph collect again."), "\(error)")
        #expect(!error.contains("SQLite error"), "\(error)")

        let (people, runs) = try store.writer.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT count(*) FROM people") ?? -1,
                try Row.fetchAll(db, sql: "SELECT status, error FROM source_runs ORDER BY snapshot_id")
            )
        }
        #expect(people == 3)
        #expect(runs.map { $0["status"] as String } == ["ok", "failed"])
        #expect((runs.last?["error"] as String?)?.contains("the disk is full") == true)
        let stale = try await store.writer.read { db in try Bool.fetchOne(db, sql: "SELECT stale FROM current_source_runs") }
        #expect(stale == true)
        // No row of the failed run is left behind, visible or not.
        let rows = try await store.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM person") }
        #expect(rows == 3)

        // With room again, the same collect stores everyone.
        try Self.removeLimit(of: store)
        let third = try await CollectionRun(configuration: configuration, store: store).run()
        #expect(third.exitStatus == .success)
        #expect(try await store.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM people") } == 20_000)
    }

    @Test func aFullDiskFailsTheReviewAndKeepsThePreviousOne() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("disk-full-review-\(UUID())")
        let path = folder.appendingPathComponent("idgraph.sqlite").path
        let store = try GraphStore.open(path: path)
        let snapshot = try await store.beginSnapshot()
        let run = try await store.beginSourceRun(snapshot: snapshot, source: "proofhub", kind: .proofHub)
        // Every account an unapproved admin: one over-privileged finding each.
        let admins = (1...3_000).map {
            Account(accountID: "\($0)", email: "admin\($0)@acme.com", name: "Admin \($0)", isAdmin: true, status: .active)
        }
        try await store.insert(admins, run: run, canonicalizer: EmailCanonicalizer())
        try await store.completeSourceRun(run, stats: SourceRunStats(), seconds: 0)
        try await store.finishSnapshot(snapshot, status: .ok)
        let configuration = IDGraph.Configuration(
            file: folder.appendingPathComponent("idgraph.yaml"), sources: [SourceConfiguration(name: "proofhub", kind: .proofHub)])
        let out = folder.appendingPathComponent("reports")
        let first = try await ReviewReport.run(store: store, configuration: configuration, outputDirectory: out)
        let firstCSV = try Data(contentsOf: first.findingsCSV)

        try Self.limitGrowth(of: store, to: 4)
        do {
            _ = try await ReviewReport.run(store: store, configuration: configuration, outputDirectory: out)
            Issue.record("the review was stored on a full disk")
        } catch {
            #expect(error is DiskWriteError)
            let message = "\(error)"
            #expect(message.hasPrefix("review: the graph database at \(path) could not be written: the disk is full."), "\(message)")
            #expect(message.contains("No review was recorded"), "\(message)")
            #expect(message.contains("Free space on the disk that holds \(path) and run idgraph review again."), "\(message)")
        }
        let (runs, shown) = try await store.writer.read { db in
            (
                try String.fetchAll(db, sql: "SELECT status FROM review_runs ORDER BY id"),
                try Int64.fetchAll(db, sql: "SELECT DISTINCT review_run_id FROM findings")
            )
        }
        #expect(runs == ["ok"])
        #expect(shown == [first.outcome.reviewRunID])
        #expect(try Data(contentsOf: first.findingsCSV) == firstCSV)
    }
}
