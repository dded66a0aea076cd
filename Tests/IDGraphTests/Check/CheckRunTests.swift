import Foundation
import IDGraphSimulator
import Testing

@testable import IDGraph

/// `idgraph check` against the simulated vendors over real loopback sockets: what each source's few
/// requests show, the advice when they fail, and that nothing but GET (and Procore's token request) is sent.
@Suite struct CheckRunTests {
    /// Starts the simulator for a small company, checks the configuration it writes (changed by
    /// `adjust`, credentials from `environment` over the company's own), and stops it.
    static func check(
        options: SimulatorOptions = SimulatorOptions(rateLimits: false), environment: [String: String] = [:],
        yaml adjustYAML: @Sendable (String, SimulatorCluster) -> String = { yaml, _ in yaml },
        adjust: @Sendable (inout SourceConfiguration) -> Void = { _ in },
        _ body: (CheckReport, SimulatorCluster, EventLog) throws -> Void
    ) async throws {
        let company = Company.generate(size: 60, seed: 11, asOf: Date(timeIntervalSince1970: 1_750_000_000))
        let cluster = try await SimulatorCluster.start(company: company, options: options)
        do {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("idgraph-check-\(UUID().uuidString)")
            try cluster.writeFiles(to: folder)
            let yaml = adjustYAML(cluster.configYAML(rosterPath: "roster.csv", databasePath: "idgraph.sqlite"), cluster)
            var configuration = try ConfigurationLoader(environment: company.credentials.merging(environment) { $1 })
                .parse(yaml, file: folder.appendingPathComponent("idgraph.yaml").path)
            configuration.sources = configuration.sources.map { source in
                var source = source
                adjust(&source)
                return source
            }
            let events = EventLog()
            var run = CheckRun(configuration: configuration, progress: ProgressSink { events.append($0) })
            run.retryPolicy = RetryPolicy(maxAttempts: 2, baseDelay: 0.01, maxDelay: 0.02)
            let report = try await run.run()
            try body(report, cluster, events)
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("idgraph.sqlite").path))
            await cluster.stop()
        } catch {
            await cluster.stop()
            throw error
        }
    }

    static func check(_ report: CheckReport, _ source: String) -> SourceCheck? {
        report.checks.first { $0.source == source }
    }

    @Test func everySourceOfTheSimulatorChecksOkWithAFewGetRequests() async throws {
        try await Self.check { report, cluster, _ in
            #expect(report.exitStatus == .success)
            #expect(report.checks.map(\.source) == ["hr", "process-street", "proofhub", "streak", "processmaker", "procore"])
            for check in report.checks {
                #expect(check.status == .ok, "\(check.source): \(check.lines)")
                #expect(check.requests <= 3, "\(check.source): \(check.requests) requests")
            }
            // The roster lists a re-hired person twice: one person.
            #expect(Self.check(report, "hr")?.lines.first?.text.contains("\(cluster.company.size) people,") == true, "\(report.text)")
            #expect(Self.check(report, "processmaker")?.lines.first?.text.contains("an administrator") == true)
            #expect(Self.check(report, "process-street")?.lines.last?.text.hasPrefix("SCIM accepts the key") == true)
            for system in SimulatedSystem.allCases {
                #expect(cluster.stats(system).nonGetRequests == 0, "\(system)")
                #expect(cluster.stats(system).requests >= 1, "\(system)")
            }
        }
    }

    @Test func aWrongTokenFailsOnlyItsSourceAndNamesTheVariableNeverTheValue() async throws {
        let wrong = "ph_wrong_value_0123456789"
        try await Self.check(environment: ["PROOFHUB_TOKEN": wrong, "PROCORE_CLIENT_SECRET": "not-the-secret-9876"]) { report, _, events in
            #expect(report.exitStatus == .failure)
            #expect(report.checks.filter { $0.status == .failed }.map(\.source) == ["proofhub", "procore"])
            let proofhub = try #require(Self.check(report, "proofhub")?.lines.last?.text)
            #expect(proofhub.contains("HTTP 401 at /api/v3/roles"), "\(proofhub)")
            #expect(proofhub.contains("'token' (from ${PROOFHUB_TOKEN})"), "\(proofhub)")
            let procore = try #require(Self.check(report, "procore")?.lines.last?.text)
            #expect(procore.contains("token endpoint refused"), "\(procore)")
            #expect(procore.contains("'client_secret' (from ${PROCORE_CLIENT_SECRET})"), "\(procore)")
            let output = report.text + report.json + events.text
            for secret in [wrong, "not-the-secret-9876"] { #expect(!output.contains(secret)) }
        }
    }

    @Test func aProcessMakerTokenThatIsNotAnAdministratorsIsAWarning() async throws {
        var options = SimulatorOptions(rateLimits: false)
        options.processMakerTokenIsAdmin = false
        try await Self.check(options: options) { report, _, _ in
            let check = try #require(Self.check(report, "processmaker"))
            #expect(check.status == .warning)
            #expect(check.lines.first?.text.contains("who is not an administrator") == true, "\(check.lines)")
            #expect(check.lines.first?.text.contains("group by group") == true)
            #expect(report.exitStatus == .success)
        }
    }

    @Test func aProcessMakerOlderThan412IsAWarning() async throws {
        var options = SimulatorOptions(rateLimits: false)
        options.processMakerHasUserConfiguration = false
        try await Self.check(options: options) { report, _, _ in
            let check = try #require(Self.check(report, "processmaker"))
            #expect(check.status == .warning)
            #expect(check.lines.first?.text.contains("ProcessMaker before 4.12") == true, "\(check.lines)")
            #expect(check.lines.last?.status == .ok)
        }
    }

    @Test func procoreNamesAWrongCompanyAndMissingAdminTemplates() async throws {
        try await Self.check(adjust: { source in
            if source.kind == .procore { source.companyID = "999" }
        }) { report, _, _ in
            let check = try #require(Self.check(report, "procore"))
            #expect(check.status == .failed)
            #expect(check.lines.last?.text.contains("Procore refused company 999") == true, "\(check.lines)")
            #expect(check.lines.last?.text.contains("Check company_id") == true)
        }
        try await Self.check(adjust: { source in
            if source.kind == .procore { source.adminPermissionTemplates = [] }
        }) { report, _, _ in
            let check = try #require(Self.check(report, "procore"))
            #expect(check.status == .warning)
            #expect(check.lines.last?.text.hasPrefix("No admin_permission_templates") == true, "\(check.lines)")
        }
    }

    @Test func proofHubNamesAUserAgentItRefuses() async throws {
        try await Self.check(adjust: { source in
            if source.kind == .proofHub { source.userAgent = "idgraph" }
        }) { report, _, _ in
            let check = try #require(Self.check(report, "proofhub"))
            #expect(check.status == .failed)
            #expect(check.lines.first?.text.contains("Check user_agent") == true, "\(check.lines)")
        }
    }

    @Test func connectionFailuresSayWhereAndWhatToCheck() async throws {
        var options = SimulatorOptions(rateLimits: false)
        options.refusingSystems = [.streak]
        try await Self.check(options: options, adjust: { source in
            if source.kind == .processMaker { source.baseURL = URL(string: "http://host.invalid/api/1.0") }
            if source.kind == .proofHub, let url = source.baseURL {
                // A plain-http port reached with TLS.
                source.baseURL = URL(string: url.absoluteString.replacingOccurrences(of: "http://", with: "https://"))
            }
        }) { report, _, _ in
            let streak = try #require(Self.check(report, "streak")?.lines.last?.text)
            #expect(streak.hasPrefix("Nothing accepts connections at 127.0.0.1:"), "\(streak)")
            let processMaker = try #require(Self.check(report, "processmaker")?.lines.last?.text)
            #expect(processMaker.hasPrefix("The host name in host.invalid:80 does not resolve"), "\(processMaker)")
            let proofHub = try #require(Self.check(report, "proofhub")?.lines.last?.text)
            #expect(proofHub.hasPrefix("The TLS handshake with 127.0.0.1:"), "\(proofHub)")
            #expect(report.checks.filter { $0.status == .failed }.count == 3)
        }
    }

    @Test func aRosterThatCannotBeReadOrListsNoOneFails() async throws {
        try await Self.check(adjust: { source in
            if source.kind == .roster { source.path = URL(fileURLWithPath: "/nonexistent/hr.csv") }
        }) { report, _, _ in
            let check = try #require(Self.check(report, "hr"))
            #expect(check.status == .failed)
            #expect(check.lines.first?.text.contains("/nonexistent/hr.csv") == true, "\(check.lines)")
        }
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("empty-\(UUID().uuidString).csv")
        try "email,status\n".write(to: empty, atomically: true, encoding: .utf8)
        try await Self.check(adjust: { source in
            if source.kind == .roster { source.path = empty }
        }) { report, _, _ in
            let check = try #require(Self.check(report, "hr"))
            #expect(check.status == .failed)
            #expect(check.lines.first?.text.contains("lists no people") == true, "\(check.lines)")
        }
    }
}
