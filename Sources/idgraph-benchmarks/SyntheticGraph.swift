import Foundation
import IDGraph

/// A large graph written straight into a store: a roster of `people` and five
/// sources whose accounts cover most of them, plus contractors, leavers,
/// invitations and deactivated accounts, so every rule has work to do.
struct SyntheticGraph {
    var people: Int
    var accountsPerSource: Int
    var membershipsPerAccount = 3
    var asOf = Date(timeIntervalSince1970: 1_750_000_000)

    static let sources: [(String, SourceKind)] = [
        ("process-street", .processStreet), ("proofhub", .proofHub), ("streak", .streak),
        ("processmaker", .processMaker), ("procore", .procore),
    ]

    func configuration(folder: URL) -> Configuration {
        var sources = [SourceConfiguration(name: "hr", kind: .roster)]
        for (name, kind) in Self.sources {
            var source = SourceConfiguration(name: name, kind: kind)
            source.approvedAdmins = (0..<20).map { "person\($0)@acme.com" }
            sources.append(source)
        }
        return Configuration(file: folder.appendingPathComponent("idgraph.yaml"), sources: sources)
    }

    /// Writes the graph; returns the number of accounts.
    func write(into store: GraphStore) async throws -> Int {
        let canonicalizer = EmailCanonicalizer()
        let snapshot = try await store.beginSnapshot()
        let roster = try await store.beginSourceRun(snapshot: snapshot, source: "hr", kind: .roster)
        var batch: [Person] = []
        for i in 0..<people {
            batch.append(Person(
                email: "person\(i)@acme.com", givenEmail: "person\(i)@acme.com", name: "Person \(i)",
                department: "Dept \(i % 40)", managerEmail: "person\(i / 12)@acme.com",
                status: i % 25 == 0 ? "terminated" : "active", terminationDate: i % 25 == 0 ? "2025-01-31" : nil, line: i + 2))
            if batch.count == 5_000 {
                try await store.insert(batch, run: roster)
                batch.removeAll(keepingCapacity: true)
            }
        }
        try await store.insert(batch, run: roster)
        try await store.completeSourceRun(roster, stats: SourceRunStats(), seconds: 0)

        var total = 0
        for (index, (name, kind)) in Self.sources.enumerated() {
            let run = try await store.beginSourceRun(snapshot: snapshot, source: name, kind: kind)
            let groups = max(accountsPerSource / 200, 10)
            try await store.insert(
                (0..<groups).map { Container(containerID: "c\($0)", type: .group, name: "Group <\($0)> & \"team\"") }, run: run)
            var accounts: [Account] = []
            var memberships: [Membership] = []
            for n in 0..<accountsPerSource {
                let person = (n * 7 + index * 13) % (people + people / 20)  // some beyond the roster: unknown emails
                let status: AccountStatus = n % 17 == 0 ? .inactive : (n % 53 == 0 ? .invited : .active)
                let seenDaysAgo = Double((n * 31) % 400)
                let id = "\(name)-\(n)"
                accounts.append(Account(
                    accountID: id, email: "Person\(person)@ACME.com", name: "Person \(person)", role: n % 40 == 0 ? "admin" : "member",
                    isAdmin: n % 40 == 0, status: status,
                    lastSeen: kind.hasActivity ? asOf.addingTimeInterval(-seenDaysAgo * 86_400) : nil,
                    created: asOf.addingTimeInterval(-Double(400 + n % 300) * 86_400)))
                for k in 0..<membershipsPerAccount {
                    memberships.append(Membership(containerID: "c\((n + k * 101) % groups)", accountID: id, role: "member"))
                }
                if accounts.count == 1_000 {
                    try await store.insert(accounts, run: run, canonicalizer: canonicalizer)
                    try await store.insert(memberships, run: run)
                    total += accounts.count
                    accounts.removeAll(keepingCapacity: true)
                    memberships.removeAll(keepingCapacity: true)
                }
            }
            try await store.insert(accounts, run: run, canonicalizer: canonicalizer)
            try await store.insert(memberships, run: run)
            total += accounts.count
            try await store.completeSourceRun(run, stats: SourceRunStats(), seconds: 0)
        }
        try await store.finishSnapshot(snapshot, status: "ok")
        return total
    }
}

/// Rules and reports on a large synthetic graph, each part timed.
struct ReviewBenchmark {
    var people: Int
    var accountsPerSource: Int

    func run() async throws -> [String] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("idgraph-review-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let graph = SyntheticGraph(people: people, accountsPerSource: accountsPerSource)
        let store = try GraphStore.open(path: folder.appendingPathComponent("graph.sqlite").path)
        let writeStart = ContinuousClock.now
        let accounts = try await graph.write(into: store)
        let writeSeconds = (ContinuousClock.now - writeStart).seconds

        let start = ContinuousClock.now
        let result = try await ReviewReport.run(
            store: store, configuration: graph.configuration(folder: folder), asOf: graph.asOf,
            outputDirectory: folder.appendingPathComponent("out"))
        let total = (ContinuousClock.now - start).seconds
        let html = try FileManager.default.attributesOfItem(atPath: result.html.path)[.size] as? Int ?? 0
        var lines = [
            String(format: "| review | write synthetic graph: %d people, %d accounts | | %.2f s | |", people, accounts, writeSeconds),
        ]
        for rule in result.outcome.ruleRuns {
            lines.append(String(format: "| review | rule %@ (%d findings) | | %.2f s | |", rule.rule, rule.findings, rule.seconds))
        }
        lines.append(String(format: "| review | rules + findings.csv + accounts.csv + HTML (%.1f MB) | %.0f accounts/s | %.2f s | goal ≤ %@ |",
            Double(html) / 1_048_576, Double(accounts) / total, total, accounts > 600_000 ? "30 s" : "5 s"))
        return lines
    }
}
