import Foundation
import IDGraph
import IDGraphSimulator
import Testing

/// `idgraph check` as a user runs it, against the simulated vendors on loopback.
@Suite struct CheckCommandTests {
    /// Starts the simulator for a small company, writes its roster and configuration into a fresh
    /// folder, runs `body`, and stops the simulator.
    static func withSimulator(
        options: SimulatorOptions = SimulatorOptions(rateLimits: false),
        _ body: (SimulatorCluster, URL) async throws -> Void
    ) async throws {
        let cluster = try await SimulatorCluster.start(company: Company.generate(size: 60, seed: 3), options: options)
        do {
            let folder = try CommandLineTool.temporaryFolder()
            try cluster.writeFiles(to: folder)
            try await body(cluster, folder)
            await cluster.stop()
        } catch {
            await cluster.stop()
            throw error
        }
    }

    @Test func checkReportsEverySourceAndOpensNoDatabase() async throws {
        try await Self.withSimulator { cluster, folder in
            let credentials = cluster.company.credentials
            let ok = try await CommandLineTool.running(["check", "--config", "idgraph.yaml"], in: folder, environment: credentials)
            #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
            for source in ["hr (roster)", "process-street (processstreet)", "proofhub (proofhub)", "streak (streak)", "processmaker (processmaker)", "procore (procore)"] {
                #expect(ok.stdout.contains("\(source): ok"), "\(source)\n\(ok.stdout)")
            }
            #expect(ok.stdout.hasSuffix("6 sources checked: 6 ok, 0 with warnings, 0 failed\n"), "\(ok.stdout)")
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("idgraph.sqlite").path))
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("idgraph.sqlite.lock").path))

            // One wrong secret fails its source alone, names the variable, and never shows a value.
            let wrong = "wrong-procore-secret-1234"
            var environment = credentials
            environment["PROCORE_CLIENT_SECRET"] = wrong
            let failed = try await CommandLineTool.running(["check", "--config", "idgraph.yaml"], in: folder, environment: environment)
            #expect(failed.status == 1)
            #expect(failed.stdout.contains("procore (procore): FAILED"), "\(failed.stdout)")
            #expect(failed.stdout.contains("${PROCORE_CLIENT_SECRET}"))
            #expect(failed.stdout.contains("streak (streak): ok") && failed.stdout.contains("hr (roster): ok"))
            #expect(failed.stdout.contains("5 ok, 0 with warnings, 1 failed"))
            for secret in credentials.values + [wrong] {
                #expect(!failed.stdout.contains(secret) && !failed.stderr.contains(secret))
            }
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("idgraph.sqlite").path))

            let json = try await CommandLineTool.running(
                ["check", "--config", "idgraph.yaml", "--source", "procore", "--format", "json"], in: folder, environment: environment)
            #expect(json.status == 1)
            let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
            #expect(object?["status"] as? String == "failed")
            #expect((object?["sources"] as? [[String: Any]])?.map { $0["source"] as? String } == ["procore"])
        }
    }

    @Test func checkCallsANonAdministratorsProcessMakerTokenAWarning() async throws {
        var options = SimulatorOptions(rateLimits: false)
        options.processMakerTokenIsAdmin = false
        try await Self.withSimulator(options: options) { cluster, folder in
            let result = try await CommandLineTool.running(
                ["check", "--config", "idgraph.yaml", "--source", "processmaker"], in: folder, environment: cluster.company.credentials)
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            #expect(result.stdout.contains("processmaker (processmaker): warning"))
            #expect(result.stdout.contains("who is not an administrator"))
        }
    }
}
