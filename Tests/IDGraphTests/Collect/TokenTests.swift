import Foundation
import GRDB
@testable import IDGraphSimulator
import Testing

@testable import IDGraph

/// ProcessMaker personal access tokens (`collect_tokens: true`), over real sockets.
@Suite struct TokenTests {
    @Test func tokensOfDeactivatedOrUnknownOwnersAreFlaggedAndNoSecretIsStored() async throws {
        let asOf = Date(timeIntervalSince1970: 1_750_000_000)
        let company = Company.generate(size: 120, seed: 9, asOf: asOf)
        let planted = company.records(.processMaker).credentials
        #expect(planted.count == 5 && planted.filter(\.flagged).count == 2)
        let cluster = try await SimulatorCluster.start(company: company, options: try SimulatorOptions().addingFaults("pm-leaks-tokens"))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("idgraph-tokens-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("graph.sqlite")
        do {
            let configFile = try cluster.writeFiles(to: folder)
            var configuration = try ConfigurationLoader(environment: company.credentials).load(path: configFile.path)
            let index = try #require(configuration.sources.firstIndex { $0.name == "processmaker" })
            configuration.sources[index].collectTokens = true
            let store = try GraphStore.open(path: database.path)
            let collection = try await CollectionRun(configuration: configuration, store: store).run()
            #expect(collection.exitStatus == .success, "\(collection.outcomes.compactMap(\.error))")
            let report = try await ReviewReport.run(
                store: store, configuration: configuration, asOf: asOf, outputDirectory: folder.appendingPathComponent("out"))
            let review = report.outcome
            await cluster.stop()

            let rows = try store.writer.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM credentials ORDER BY credential_id")
            }
            #expect(rows.count == planted.count)
            let byID = Dictionary(uniqueKeysWithValues: planted.map { ($0.id, $0) })
            for row in rows {
                let token = try #require(byID[row["credential_id"]])
                #expect(row["account_id"] == token.userID)
                #expect(row["revoked"] == token.revoked)
                #expect(row["name"] == token.name)
                #expect((row["expires"] as String?) == token.expires.map(Timestamp.string(from:)))
            }
            #expect(review.ruleErrors.isEmpty, "\(review.ruleErrors)")
            #expect(review.ruleRuns.contains { $0.rule == "token-of-inactive-user" && $0.status == .ok }, "\(review.ruleRuns)")
            let flagged = review.findings(of: "token-of-inactive-user")
            #expect(Set(flagged.map(\.accountID)) == Set(planted.filter(\.flagged).map(\.userID)))
            #expect(flagged.count == 2)
            #expect(flagged.allSatisfy { $0.severity == .high })
            #expect(flagged.contains { $0.detail.contains("the owner's account is deactivated") && $0.detail.contains("Zapier sync") })
            #expect(flagged.contains { $0.detail.contains("the owner is not in the roster") || $0.detail.contains("terminated in the roster") })
            // The page lists the tokens, names as text.
            let html = try String(contentsOf: report.html, encoding: .utf8)
            let section = try #require(html.range(of: "id=\"credentials-table\"").map { html[$0.upperBound...] })
            let table = section[..<(section.range(of: "</table>")?.lowerBound ?? section.endIndex)]
            #expect(table.components(separatedBy: "<tr>").count - 2 == planted.count)
            #expect(table.contains("contractor&#39;s &lt;script&gt;") || table.contains("contractor&apos;s &lt;script&gt;") || table.contains("contractor's &lt;script&gt;"))
            #expect(!html.contains("<script>alert('t')"))
        } catch {
            await cluster.stop()
            throw error
        }
        // The server sent every token's secret; not one byte of any reached the database.
        let bytes = try Data(contentsOf: database)
        let wal = (try? Data(contentsOf: URL(fileURLWithPath: database.path + "-wal"))) ?? Data()
        for token in planted {
            let secret = Data(("eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9." + token.id).utf8)
            #expect(bytes.range(of: secret) == nil && wal.range(of: secret) == nil)
        }
        #expect(bytes.range(of: Data("eyJ0eXAi".utf8)) == nil)
    }
}
