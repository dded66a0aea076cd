import Crypto
import Foundation
import GRDB
import IDGraphSimulator
import Testing

@testable import IDGraph

/// The request journal (`request_journal`): one row per request a collect sent, token requests and
/// retries included, each with the SHA-256 of the body served, and never a credential.
@Suite struct RequestJournalTests {
    @Test(arguments: SimulatedSystem.allCases)
    func theJournalHasOneRowPerRequestSent(system: SimulatedSystem) async throws {
        try await SimulatedCollection.with(systems: [system]) { sim in
            let report = try await sim.collect([system])
            #expect(report.exitStatus == .success, "\(report.outcomes.map { $0.error ?? $0.summary })")
            let run = try #require(try sim.sourceRun(system))
            let journal = try sim.journal(system)
            #expect(journal.count == run["requests"] as Int)
            #expect(journal.count == sim.cluster.stats(system).requests)
            #expect(journal.map { $0["seq"] as Int } == Array(1...journal.count))
            #expect(journal.allSatisfy { $0["status"] as Int == 200 })
            #expect(journal.allSatisfy { ($0["sent_at"] as String).hasSuffix("Z") && ($0["milliseconds"] as Int) >= 0 })
            #expect(journal.allSatisfy { ($0["bytes"] as Int?).map { $0 > 0 } == true })
        }
    }

    /// Each retry is a request of its own: a 503 answered once before every request's success is two rows.
    @Test func aRetriedRequestIsJournalledOncePerAttempt() async throws {
        let faults: Set<SimulatedFault> = [SimulatedFault(.htmlServiceUnavailable, systems: [.processMaker], trigger: .requests(2))]
        try await SimulatedCollection.with(options: SimulatorOptions(rateLimits: false, faults: faults), systems: [.processMaker]) { sim in
            let report = try await sim.collect([.processMaker])
            #expect(report.exitStatus == .success, "\(report.outcomes.map { $0.error ?? $0.summary })")
            let run = try #require(try sim.sourceRun(.processMaker))
            #expect(run["retries"] as Int == 1)
            let journal = try sim.journal(.processMaker)
            #expect(journal.count == run["requests"] as Int)
            #expect(journal.count == sim.cluster.stats(.processMaker).requests)
            #expect(journal.map { $0["status"] as Int }.prefix(3) == [200, 503, 200])
            #expect(journal[1]["path"] as String == journal[2]["path"] as String)
        }
    }

    /// The digest of every response is the SHA-256 of the body the simulator serves for that request,
    /// fetched again here with the source's own credentials and hashed independently.
    @Test(arguments: SimulatedSystem.allCases)
    func eachDigestIsTheSHA256OfTheBodyServed(system: SimulatedSystem) async throws {
        try await SimulatedCollection.with(systems: [system]) { sim in
            try await sim.collect([system])
            let journal = try sim.journal(system).filter { $0["method"] == "GET" }
            #expect(!journal.isEmpty)
            let source = try #require(sim.configuration.source(named: system.sourceName))
            let base = try #require(URL(string: sim.cluster.baseURL(system)))
            let origin = "\(base.scheme ?? "http")://\(base.host ?? "127.0.0.1"):\(base.port ?? 80)"
            let headers = system == .procore ? [("Procore-Company-Id", String(sim.company.procoreCompanyID))] : []
            try await Collectors.withHTTPClient(for: [source]) { http in
                let sink = SourceSink(checking: source, progress: .silent)
                let api = try APIClient(source: source, sink: sink, http: http, policy: SimulatedCollection.quickRetries, headers: headers)
                for row in journal {
                    let path: String = row["path"]
                    let served = try await api.get(link: origin + path, of: path, reading: { $0 }).body
                    let digest = SHA256.hash(data: served).map { String(format: "%02x", $0) }.joined()
                    #expect(row["sha256"] as String? == digest, "\(path)")
                    #expect(row["bytes"] as Int? == served.count, "\(path)")
                }
            }
        }
    }

    /// No secret of the configuration appears anywhere in the journal, no host either; the token
    /// response (it holds a credential) is journalled without a digest.
    @Test func theJournalHoldsNoSecretAndNoTokenDigest() async throws {
        try await SimulatedCollection.with { sim in
            let report = try await sim.collect(SimulatedSystem.allCases)
            #expect(report.exitStatus == .success, "\(report.outcomes.map { $0.error ?? $0.summary })")
            let rows = try sim.store.writer.read { db in try Row.fetchAll(db, sql: "SELECT * FROM request_journal") }
            #expect(Set(rows.map { $0["source"] as String }) == Set(SimulatedSystem.allCases.map(\.sourceName)))
            let text = rows.map { row in row.columnNames.map { "\(row[$0] as DatabaseValue)" }.joined(separator: "|") }
                .joined(separator: "\n")
            let secrets = sim.company.credentials.values.filter { $0.count >= 4 }
            #expect(!secrets.isEmpty)
            for secret in secrets {
                #expect(!text.contains(secret))
                #expect(!text.contains(secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? secret))
            }
            #expect(!text.contains("127.0.0.1"))
            #expect(rows.allSatisfy { ($0["path"] as String).hasPrefix("/") })

            let token = rows.filter { ($0["path"] as String).hasSuffix("/oauth/token") }
            #expect(token.count == 1)
            #expect(token.allSatisfy { $0["source"] == "procore" && $0["method"] == "POST" && $0["status"] == 200 })
            #expect(token.allSatisfy { ($0["sha256"] as String?) == nil && ($0["bytes"] as Int? ?? 0) > 0 })
            let others = rows.filter { !($0["path"] as String).hasSuffix("/oauth/token") }
            #expect(others.allSatisfy { ($0["sha256"] as String?)?.count == 64 })
        }
    }

    /// What the journal keeps of a URL: path and query, never the host, a user name, a password, a
    /// fragment or a query parameter whose name looks secret.
    @Test(arguments: [
        ("https://user:pw@api.example.com:8443/v1/users?page=2&api_key=S3CRET&per_page=10#frag", "/v1/users?page=2&per_page=10"),
        ("http://login.example.com/oauth/token?client_id=a&client_secret=b&code=c&grant_type=client_credentials",
         "/oauth/token?grant_type=client_credentials"),
        ("http://h/x?X-Amz-Signature=a&access_token=t&Token=t&sessionid=s&password=p&sig=q&limit=5", "/x?limit=5"),
        ("http://h/x?api%5Fkey=s&page=1", "/x?page=1"),
        ("http://h/x?start=0&limit=100", "/x?start=0&limit=100"),
        ("http://h", "/"),
        ("http://h?apikey=s", "/"),
    ])
    func aJournalPathHasNoSecretQueryParameter(url: String, path: String) {
        #expect(RequestJournal.path(of: url) == path)
    }

    /// A failed source keeps its journal (the evidence of what failed): every attempt, with the failing
    /// status, or 0 where no response came; its collected rows are dropped as before.
    @Test(arguments: [(FaultKind.htmlServiceUnavailable, 503), (.connectionDrop, 0)])
    func aFailedSourceKeepsItsJournal(kind: FaultKind, status: Int) async throws {
        let faults: Set<SimulatedFault> = [SimulatedFault(kind, systems: [.processMaker], trigger: .everyNth(1, path: "/groups"))]
        try await SimulatedCollection.with(options: SimulatorOptions(rateLimits: false, faults: faults), systems: [.processMaker]) { sim in
            let report = try await sim.collect([.processMaker])
            #expect(report.exitStatus == .failure)
            let run = try #require(try sim.sourceRun(.processMaker))
            #expect(run["status"] == "failed")
            let journal = try sim.journal(.processMaker)
            #expect(journal.count == run["requests"] as Int)
            #expect(journal.count == sim.cluster.stats(.processMaker).requests)
            let failing = journal.filter { ($0["path"] as String).hasPrefix("/api/1.0/groups?") }
            #expect(failing.count == SimulatedCollection.quickRetries.maxAttempts)
            #expect(failing.allSatisfy { $0["status"] as Int == status })
            #expect(journal.last?["status"] as Int? == status)
            #expect(journal.dropLast(failing.count).allSatisfy { $0["status"] as Int == 200 })
            if status == 0 { #expect(failing.allSatisfy { ($0["sha256"] as String?) == nil && ($0["bytes"] as Int?) == nil }) }
            let runID: Int64 = run["source_run_id"]
            let stored = try await sim.store.writer.read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM account WHERE source_run_id = ?", arguments: [runID])
            }
            #expect(stored == 0)
        }
    }

    /// A check sends requests through the same client, and keeps none of them.
    @Test func aCheckKeepsNoJournal() async throws {
        try await SimulatedCollection.with(systems: [.processMaker]) { sim in
            let source = try #require(sim.configuration.source(named: "processmaker"))
            let sink = SourceSink(checking: source, progress: .silent)
            try await Collectors.withHTTPClient(for: [source]) { http in
                let api = try APIClient(source: source, sink: sink, http: http, policy: SimulatedCollection.quickRetries)
                _ = try await api.get("/users/configuration")
            }
            #expect(await sink.stats.requests == 1)
            #expect(await sink.evidence.journal.isEmpty)
        }
    }
}

extension SimulatedCollection {
    /// The request journal of `system`'s latest source run, in order.
    func journal(_ system: SimulatedSystem) throws -> [Row] {
        try store.writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM request_journal
                    WHERE source_run_id = (SELECT max(source_run_id) FROM source_runs WHERE source = ?)
                    ORDER BY seq
                    """,
                arguments: [system.sourceName])
        }
    }
}
