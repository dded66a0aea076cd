import Foundation
import GRDB
import IDGraphSimulator
import Testing

@testable import IDGraph

/// The whole job on a generated company: the findings must be exactly the ones
/// the company's planted conditions call for — no missed finding, no false one.
@Suite struct EndToEndTests {
    struct Key: Hashable, CustomStringConvertible {
        var rule: String
        var severity: String
        var source: String
        var accountID: String
        var description: String { "\(rule)/\(severity) \(source) \(accountID)" }
    }

    @Test(arguments: [(UInt64(1), 120), (UInt64(42), 400)])
    func findingsAreExactlyThePlantedOnes(seed: UInt64, size: Int) async throws {
        let asOf = Date(timeIntervalSince1970: 1_750_000_000)
        let company = Company.generate(size: size, seed: seed, asOf: asOf)
        let options = try SimulatorOptions().addingFaults("truncated-body@proofhub=3,html-503@processmaker=4")
        let cluster = try await SimulatorCluster.start(company: company, options: options)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("idgraph-e2e-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            let configFile = try cluster.writeFiles(to: folder)
            let configuration = try ConfigurationLoader(environment: company.credentials).load(path: configFile.path)
            let store = try GraphStore.inMemory()
            let collection = try await CollectionRun(configuration: configuration, store: store).run()
            #expect(collection.exitStatus == .success, "\(collection.outcomes.compactMap(\.error))")
            let review = try await ReviewReport.run(
                store: store, configuration: configuration, asOf: asOf, outputDirectory: folder.appendingPathComponent("out"))
            await cluster.stop()

            let actual = Set(review.outcome.findings.map {
                Key(rule: $0.rule, severity: $0.severity.rawValue, source: $0.source, accountID: $0.accountID)
            })
            let expected = Set(company.expectedFindings().map {
                Key(rule: $0.rule, severity: $0.severity, source: $0.system.sourceName, accountID: $0.accountID)
            })
            #expect(actual.subtracting(expected).isEmpty, "false findings: \(actual.subtracting(expected).sorted { $0.description < $1.description })")
            #expect(expected.subtracting(actual).isEmpty, "missed findings: \(expected.subtracting(actual).sorted { $0.description < $1.description })")
            #expect(review.outcome.findings.count == actual.count, "one finding per rule and account")
            for rule in ["inactive", "orphaned", "over-privileged", "stale-invite", "deactivated-with-access"] {
                #expect(actual.contains { $0.rule == rule }, "the company plants at least one \(rule) finding")
            }
            // No secret of the company reached the database or a report.
            let secrets = Array(company.credentials.values)
            for file in ["findings.csv", "accounts.csv", "access-review.html"] {
                let text = try String(contentsOf: folder.appendingPathComponent("out").appendingPathComponent(file), encoding: .utf8)
                for secret in secrets { #expect(!text.contains(secret), "\(file) contains a secret") }
            }
            let dump = try await store.writer.read { db in
                try String.fetchAll(db, sql: "SELECT coalesce(error, '') FROM source_run")
                    + String.fetchAll(db, sql: "SELECT coalesce(detail, '') FROM finding")
            }
            for secret in secrets { #expect(!dump.joined().contains(secret)) }
        } catch {
            await cluster.stop()
            throw error
        }
    }
}
