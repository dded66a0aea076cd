import Foundation
import GRDB
import Testing

@testable import IDGraph

/// A roster collected into the store: streamed in batches, a re-hire merged
/// by the store, a bad roster failing without touching the last good one.
@Suite struct RosterCollectionTests {
    /// A folder with `hr.csv` holding `roster` and a configuration naming it.
    func configuration(roster: Data) throws -> IDGraph.Configuration {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("roster-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try roster.write(to: folder.appendingPathComponent("hr.csv"))
        let yaml = """
            domain_aliases:
              acme.io: acme.com
            sources:
              - name: hr
                kind: roster
                path: hr.csv
            """
        return try ConfigurationLoader(environment: [:]).parse(yaml, file: folder.appendingPathComponent("idgraph.yaml").path)
    }

    /// Collects the roster `text` into `store`; returns the report and the progress events.
    func collect(_ roster: Data, into store: GraphStore) async throws -> (CollectionReport, [ProgressEvent]) {
        let events = EventLog()
        let run = CollectionRun(
            configuration: try configuration(roster: roster), store: store, progress: ProgressSink { events.append($0) })
        return (try await run.run(), events.all)
    }

    /// `count` active people `p1@acme.com`… as roster rows.
    func rows(_ count: Int, from first: Int = 1) -> [String] {
        (first..<first + count).map { "p\($0)@acme.com,Person \($0),active," }
    }

    func people(_ store: GraphStore) throws -> [String: Row] {
        try store.writer.read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT * FROM people").map { ($0["email"] as String, $0) })
        }
    }

    @Test func aLargeRosterIsStoredInBatchesAndARehireAcrossThemIsOnePerson() async throws {
        let lines = ["email,name,status,termination_date", "rick@acme.com,Rick,terminated,2024-01-31", "zoe@acme.com,Zoe,active,"]
            + rows(12_000)
            + ["RICK@acme.io,Rick Again,active,", "zoe@acme.com,Zoe,terminated,2024-05-31", "p5@acme.com,Five,active,"]
        let store = try GraphStore.inMemory()
        let (report, events) = try await collect(Data(lines.joined(separator: "\n").utf8), into: store)
        #expect(report.exitStatus == .success, "\(report.outcomes.map(\.summary))")

        let people = try people(store)
        #expect(people.count == 12_002)
        let rick = try #require(people["rick@acme.com"])
        #expect(rick["status"] == "active")
        #expect(rick["name"] == "Rick Again")
        #expect((rick["termination_date"] as String?) == nil)
        let zoe = try #require(people["zoe@acme.com"])
        #expect(zoe["status"] == "active", "an active row is not replaced by a later terminated one")
        let five = try #require(people["p5@acme.com"])
        #expect(five["name"] == "Five", "of two active rows, the later wins")
        #expect(report.outcomes.first?.stats.people == 12_002)

        let batches = events.compactMap { event -> Int? in
            if case .page(source: "hr", what: "people", let count, _) = event { return count }
            return nil
        }
        #expect(batches == [5_000, 5_000, 2_005])
    }

    @Test func aBadRowAfterTheFirstBatchesFailsAndKeepsTheLastGoodRoster() async throws {
        let store = try GraphStore.inMemory()
        let good = ["email,name,status,termination_date", "ana@acme.com,Ana,active,", "bob@acme.com,Bob,active,"]
        _ = try await collect(Data(good.joined(separator: "\n").utf8), into: store)

        let bad = ["email,name,status,termination_date"] + rows(11_000) + ["not-an-email,Nobody,active,"] + rows(10, from: 20_000)
        let (report, _) = try await collect(Data(bad.joined(separator: "\n").utf8), into: store)
        #expect(report.exitStatus == .failure)
        let error = try #require(report.outcomes.first?.error)
        #expect(error.contains("hr.csv:11002"), "\(error)")
        #expect(error.contains("not an email address"))

        #expect(try people(store).keys.sorted() == ["ana@acme.com", "bob@acme.com"])
        let leftOver = try await store.writer.read { db in
            try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM person WHERE source_run_id = (SELECT MAX(id) FROM source_run)")
        }
        #expect(leftOver == 0)
    }

    @Test func aRosterThatIsNotUTF8NamesTheLine() async throws {
        var roster = Data("email,name,status\nana@acme.com,Ana,active\nbob@acme.com,B".utf8)
        roster.append(contentsOf: [0xFF, 0xFE])
        roster.append(Data("ob,active\n".utf8))
        let (report, _) = try await collect(roster, into: try GraphStore.inMemory())
        let error = try #require(report.outcomes.first?.error)
        #expect(error.contains("hr.csv:3"), "\(error)")
        #expect(error.contains("not UTF-8"))
    }

    @Test func anUnclosedQuoteInAFileNamesItsLine() async throws {
        let roster = "email,name,status\nana@acme.com,Ana,active\nbob@acme.com,\"Bob,active\ncid@acme.com,Cid,active\n"
        let (report, _) = try await collect(Data(roster.utf8), into: try GraphStore.inMemory())
        let error = try #require(report.outcomes.first?.error)
        #expect(error.contains("hr.csv:3"), "\(error)")
        #expect(error.contains("never closed"))
    }

    /// The store's merge, whichever row comes first, and its count of distinct people.
    @Test(arguments: [["terminated", "active"], ["active", "terminated"]])
    func theStoreKeepsTheActiveRowOfAPersonListedTwice(statuses: [String]) async throws {
        let store = try GraphStore.inMemory()
        let snapshot = try await store.beginSnapshot()
        let run = try await store.beginSourceRun(snapshot: snapshot, source: "hr", kind: .roster)
        func person(_ status: String, line: Int) -> Person {
            Person(
                email: "rick@acme.com", givenEmail: "rick@acme.com", name: "Rick \(line)", department: nil,
                managerEmail: nil, status: status, terminationDate: status == "active" ? nil : "2024-01-31", line: line)
        }
        #expect(try await store.insert([person(statuses[0], line: 2)], run: run) == 1)
        #expect(try await store.insert([person(statuses[1], line: 3)], run: run) == 1)
        let stored = try #require(try await store.writer.read { db in try Row.fetchOne(db, sql: "SELECT * FROM person") })
        #expect(stored["status"] == "active")
        #expect(stored["line"] == (statuses[1] == "active" ? 3 : 2))
    }
}
