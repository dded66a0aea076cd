import Foundation
import GRDB
import Testing

@testable import IDGraph

/// A review is recorded `ok` only when its three reports are in place.
@Suite struct ReviewRecordTests {
    /// A graph with one unapproved admin (one over-privileged finding).
    func graph() async throws -> GraphFixture {
        var graph = try await GraphFixture(roster: false)
        try await graph.addSource(
            "proofhub", kind: .proofHub,
            accounts: [Account(accountID: "1", email: "root@acme.com", name: "Root", isAdmin: true, status: .active)])
        return graph
    }

    func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("review-record-\(UUID())")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func runs(_ graph: GraphFixture) throws -> [Row] {
        try graph.store.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT r.id, r.status, r.finished_at, w.warnings FROM review_runs r JOIN review_run w ON w.id = r.id ORDER BY r.id")
        }
    }

    @Test func aWrittenReviewIsRecordedOk() async throws {
        let graph = try await graph()
        let result = try await ReviewReport.run(
            store: graph.store, configuration: graph.configuration, asOf: GraphFixture.asOf, outputDirectory: try folder())
        let runs = try runs(graph)
        #expect(runs.count == 1)
        #expect(runs.first?["status"] == "ok")
        #expect((runs.first?["finished_at"] as String?) != nil)
        #expect(runs.first?["id"] == result.outcome.reviewRunID)
    }

    @Test func aReviewWhoseReportsWereNotWrittenIsRecordedFailed() async throws {
        let graph = try await graph()
        let good = try await ReviewReport.run(
            store: graph.store, configuration: graph.configuration, asOf: GraphFixture.asOf, outputDirectory: try folder())
        // A folder where the page must go: rename(2) cannot replace it, even for root.
        let out = try folder()
        let blocking = out.appendingPathComponent("access-review.html")
        try FileManager.default.createDirectory(at: blocking, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: blocking.appendingPathComponent("inside.txt"))
        do {
            _ = try await ReviewReport.run(
                store: graph.store, configuration: graph.configuration, asOf: GraphFixture.asOf, outputDirectory: out)
            Issue.record("the review succeeded")
        } catch let error as ReportError {
            #expect(error.exitStatus == .failure)
            #expect(error.file == blocking.path)
            #expect(error.message.contains("A folder has the report's name"), "\(error)")
            #expect(error.message.contains("recorded as failed"), "\(error)")
        }
        let runs = try runs(graph)
        #expect(runs.map { $0["status"] as String } == ["ok", "failed"])
        #expect((runs.last?["warnings"] as String?)?.contains("The reports were not written") == true)
        // The findings view still shows the review whose reports exist; no report of the failed one
        // replaced anything, and none is left half written.
        let shown = try await graph.store.writer.read { db in
            try Int64.fetchAll(db, sql: "SELECT DISTINCT review_run_id FROM findings")
        }
        #expect(shown == [good.outcome.reviewRunID])
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["access-review.html"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: blocking.path) == ["inside.txt"])
    }

    @Test func anOutputPathThroughAFileIsAUsageErrorAndRecordsNothing() async throws {
        let graph = try await graph()
        let file = try folder().appendingPathComponent("file.txt")
        try Data("x".utf8).write(to: file)
        do {
            _ = try await ReviewReport.run(
                store: graph.store, configuration: graph.configuration, asOf: GraphFixture.asOf,
                outputDirectory: file.appendingPathComponent("out"))
            Issue.record("the review succeeded")
        } catch let error as ReportError {
            #expect(error.exitStatus == .usage)
            #expect(error.message.contains("\(file.path) is a file, not a folder"), "\(error)")
            #expect(error.message.contains("Choose another --out folder"), "\(error)")
        }
        #expect(try runs(graph).isEmpty)
    }
}
