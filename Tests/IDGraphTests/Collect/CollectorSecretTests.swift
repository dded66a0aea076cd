import Foundation
import GRDB
import IDGraphSimulator
import Testing

@testable import IDGraph

/// No secret reaches the database, a progress event or an error message.
@Suite struct CollectorSecretTests {
    @Test func noSecretInAnyOutput() async throws {
        let faults: Set<SimulatedFault> = [SimulatedFault(.htmlServiceUnavailable, trigger: .requests(2))]
        let options = SimulatorOptions(
            rateLimits: true,
            rateLimitOverrides: Dictionary(
                uniqueKeysWithValues: SimulatedSystem.allCases.map { ($0, RateLimit(requests: 3, windowSeconds: 0.3)) }),
            faults: faults, tokenExpirySeconds: 0.4, refusingSystems: [.streak])
        try await SimulatedCollection.with(options: options) { sim in
            let report = try await sim.collect(SimulatedSystem.allCases)
            var output = sim.events.text + "\n" + report.outcomes.map { ($0.error ?? "") + $0.summary }.joined(separator: "\n")
            output += try await sim.store.writer.read { db in
                var dump = ""
                for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") {
                    for row in try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\"") { dump += "\(row)\n" }
                }
                return dump
            }
            #expect(output.contains("/api/"))
            for (name, secret) in sim.company.credentials {
                #expect(!output.contains(secret), "\(name) leaked")
            }
            #expect(!output.contains("Bearer "))
            // Paths in progress and errors never carry a query string.
            for event in sim.events.all {
                if case .request(_, _, let path, _, _) = event { #expect(!path.contains("?")) }
                if case .retrying(_, let path, _, _) = event { #expect(!path.contains("?")) }
            }
            #expect(!output.contains("Basic "))
        }
    }
}
