import Foundation
import IDGraph
import Testing

@Suite struct StaleInviteRuleTests {
    private func review(_ accounts: [Account]) async throws -> ReviewOutcome {
        var graph = try await GraphFixture(staleInviteDays: 30)
        try await graph.addSource("process-street", kind: .processStreet, accounts: accounts)
        return try await graph.review()
    }

    @Test func invitationOfExactlyThresholdDaysIsNotStale() async throws {
        let outcome = try await review([
            account("1", email: "a@acme.com", status: .invited, created: GraphFixture.daysBefore(30))
        ])
        #expect(outcome.flagged(by: "stale-invite") == [])
    }

    @Test func invitationOneDayOverThresholdIsStale() async throws {
        let outcome = try await review([
            account("1", email: "a@acme.com", status: .invited, created: GraphFixture.daysBefore(31))
        ])
        let finding = try #require(outcome.finding("stale-invite", "1"))
        #expect(finding.severity == .low)
        #expect(finding.detail == "invited 2025-05-30, 31 days before 2025-06-30, not accepted; threshold 30 days")
    }

    @Test func invitationOneSecondOverThresholdIsStale() async throws {
        let outcome = try await review([
            account("1", email: "a@acme.com", status: .invited, created: GraphFixture.daysBefore(30, seconds: 1))
        ])
        #expect(outcome.flagged(by: "stale-invite") == ["1"])
    }

    @Test func activeAccountIsNeverAStaleInvite() async throws {
        let outcome = try await review([account("1", email: "a@acme.com", created: GraphFixture.daysBefore(300))])
        #expect(outcome.flagged(by: "stale-invite") == [])
    }

    @Test func invitationWithoutCreationDateIsNotAged() async throws {
        let outcome = try await review([account("1", email: "a@acme.com", status: .invited)])
        #expect(outcome.flagged(by: "stale-invite") == [])
    }
}
