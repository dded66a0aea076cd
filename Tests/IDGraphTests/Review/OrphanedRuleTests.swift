import Foundation
import IDGraph
import Testing

@Suite struct OrphanedRuleTests {
    private func review(
        people: [Person], accounts: [Account], aliases: [String: String] = [:]
    ) async throws -> ReviewOutcome {
        var graph = try await GraphFixture(aliases: aliases)
        try await graph.addRoster(people)
        try await graph.addSource("proofhub", kind: .proofHub, accounts: accounts)
        return try await graph.review()
    }

    @Test func activePersonIsNotOrphaned() async throws {
        let outcome = try await review(people: [person("ann@acme.com")], accounts: [account("1", email: "ann@acme.com")])
        #expect(outcome.flagged(by: "orphaned") == [])
    }

    @Test func terminatedPersonIsOrphaned() async throws {
        let outcome = try await review(
            people: [person("bob@acme.com", status: "terminated", terminated: "2025-05-01")],
            accounts: [account("1", email: "bob@acme.com")])
        #expect(outcome.flagged(by: "orphaned") == ["1"])
        #expect(
            outcome.finding("orphaned", "1")?.detail
                == "active account; roster person bob@acme.com is terminated (termination date 2025-05-01)")
        #expect(outcome.finding("orphaned", "1")?.severity == .high)
    }

    @Test func unknownEmailIsOrphaned() async throws {
        let outcome = try await review(people: [person("ann@acme.com")], accounts: [account("1", email: "zed@acme.com")])
        #expect(outcome.finding("orphaned", "1")?.detail == "active account; zed@acme.com is not in the roster")
    }

    @Test func accountWithoutEmailIsOrphaned() async throws {
        let outcome = try await review(people: [person("ann@acme.com")], accounts: [account("1", email: nil)])
        #expect(outcome.finding("orphaned", "1")?.detail == "active account; no email, so it matches no roster person")
    }

    @Test func blankEmailCountsAsNoEmail() async throws {
        let outcome = try await review(people: [person("ann@acme.com")], accounts: [account("1", email: "   ")])
        #expect(outcome.flagged(by: "orphaned") == ["1"])
    }

    @Test func invitedAccountOfUnknownEmailIsOrphaned() async throws {
        let outcome = try await review(
            people: [person("ann@acme.com")], accounts: [account("1", email: "new@acme.com", status: .invited)])
        #expect(outcome.finding("orphaned", "1")?.detail == "invited account; new@acme.com is not in the roster")
    }

    @Test func reHiredPersonIsNotOrphaned() async throws {
        // The roster lists the person twice; the reader keeps the active row.
        let roster = RosterCollector(
            source: SourceConfiguration(name: "hr", kind: .roster), canonicalizer: EmailCanonicalizer())
        let people = try roster.parse(
            """
            email,name,department,manager_email,status,termination_date
            rita@acme.com,Rita,Sales,,terminated,2024-01-31
            rita@acme.com,Rita,Sales,,active,
            """, file: "hr.csv")
        let outcome = try await review(people: people, accounts: [account("1", email: "rita@acme.com")])
        #expect(outcome.flagged(by: "orphaned") == [])
    }

    @Test func caseAndAliasDifferencesStillJoin() async throws {
        let outcome = try await review(
            people: [person("ann@acme.com")],
            accounts: [account("1", email: "  Ann@ACME.io "), account("2", email: "ANN@acme.com")],
            aliases: ["acme.io": "acme.com"])
        #expect(outcome.flagged(by: "orphaned") == [])
    }

    @Test func lookAlikeEmailIsOrphaned() async throws {
        let outcome = try await review(
            people: [person("ann@acme.com")],
            accounts: [
                account("1", email: "ann@acme.co"), account("2", email: "ann@acrne.com"),
                account("3", email: "ann+x@acme.com"),
            ])
        #expect(outcome.flagged(by: "orphaned") == ["1", "2", "3"])
    }

    @Test func deactivatedAccountIsNotOrphaned() async throws {
        let outcome = try await review(
            people: [person("ann@acme.com")], accounts: [account("1", email: "gone@acme.com", status: .inactive)])
        #expect(outcome.flagged(by: "orphaned") == [])
    }

    @Test func rosterNeverCollectedSkipsTheRuleWithAWarning() async throws {
        var graph = try await GraphFixture(roster: true)
        try await graph.addSource("proofhub", kind: .proofHub, accounts: [account("1", email: "zed@acme.com")])
        let outcome = try await graph.review()
        #expect(outcome.flagged(by: "orphaned") == [])
        #expect(outcome.ruleRuns.first { $0.rule == "orphaned" }?.status == .skipped)
        #expect(outcome.warnings.contains { $0.contains("'orphaned' was skipped") && $0.contains("'hr' has no collected data") })
    }

    @Test func staleRosterStillJudgesWithItsLastGoodData() async throws {
        var graph = try await GraphFixture()
        try await graph.addRoster([person("ann@acme.com")])
        try await graph.addSource("proofhub", kind: .proofHub, accounts: [account("1", email: "zed@acme.com")])
        try await graph.failSource("hr", kind: .roster, error: "hr.csv:3: This row has no email.")
        let outcome = try await graph.review()
        #expect(outcome.flagged(by: "orphaned") == ["1"])
        #expect(outcome.warnings.contains { $0.contains("'hr' is stale") })
    }

    @Test func noRosterSkipsTheRuleWithAWarning() async throws {
        var graph = try await GraphFixture(roster: false)
        try await graph.addSource("proofhub", kind: .proofHub, accounts: [account("1", email: "zed@acme.com")])
        let outcome = try await graph.review()
        #expect(outcome.flagged(by: "orphaned") == [])
        #expect(outcome.ruleRuns.first { $0.rule == "orphaned" }?.status == .skipped)
        #expect(outcome.warnings.contains { $0.contains("'orphaned' was skipped") && $0.contains("no roster source") })
        #expect(outcome.exitStatus == .success)
    }
}
