import Foundation
import IDGraph
import Testing

@Suite struct InactiveRuleTests {
    private func review(_ accounts: [Account], kind: SourceKind = .streak, inactiveDays: Int = 60) async throws
        -> ReviewOutcome
    {
        var graph = try await GraphFixture(inactiveDays: inactiveDays)
        try await graph.addSource("streak", kind: kind, accounts: accounts)
        return try await graph.review()
    }

    @Test func exactlyThresholdDaysIsNotInactive() async throws {
        let outcome = try await review([account("u1", email: "a@acme.com", lastSeen: GraphFixture.daysBefore(60))])
        #expect(outcome.flagged(by: "inactive") == [])
    }

    @Test func oneSecondPastThresholdIsInactive() async throws {
        let outcome = try await review([
            account("u1", email: "a@acme.com", lastSeen: GraphFixture.daysBefore(60, seconds: 1))
        ])
        #expect(outcome.flagged(by: "inactive") == ["u1"])
        let detail = try #require(outcome.finding("inactive", "u1")?.detail)
        #expect(detail.contains("more than 60 days before 2025-06-30T00:00:00Z"))
    }

    @Test func thresholdPlusOneDayIsInactiveWithCheckableDetail() async throws {
        let outcome = try await review([account("u1", email: "a@acme.com", lastSeen: GraphFixture.daysBefore(61))])
        #expect(outcome.flagged(by: "inactive") == ["u1"])
        #expect(
            outcome.finding("inactive", "u1")?.detail
                == "last seen 2025-04-30, 61 days before 2025-06-30; threshold 60 days")
        #expect(outcome.finding("inactive", "u1")?.severity == .medium)
    }

    @Test func creationDateIsUsedWhenNoActivityIsRecorded() async throws {
        let outcome = try await review([
            account("old", email: "a@acme.com", created: GraphFixture.daysBefore(120)),
            account("new", email: "b@acme.com", created: GraphFixture.daysBefore(10)),
        ])
        #expect(outcome.flagged(by: "inactive") == ["old"])
        #expect(outcome.finding("inactive", "old")?.detail.hasPrefix("no recorded activity; created 2025-03-02, 120 days") == true)
    }

    @Test func lastSeenWinsOverAnOldCreationDate() async throws {
        let outcome = try await review([
            account("u1", email: "a@acme.com", lastSeen: GraphFixture.daysBefore(5), created: GraphFixture.daysBefore(900))
        ])
        #expect(outcome.flagged(by: "inactive") == [])
    }

    @Test func noActivityAndNoCreationDateIsFlagged() async throws {
        let outcome = try await review([account("u1", email: "a@acme.com")])
        #expect(outcome.flagged(by: "inactive") == ["u1"])
        #expect(outcome.finding("inactive", "u1")?.detail.hasPrefix("no recorded activity or creation date") == true)
    }

    @Test func inactiveAdminIsHighSeverity() async throws {
        let outcome = try await review([
            account("u1", email: "a@acme.com", admin: true, lastSeen: GraphFixture.daysBefore(100))
        ])
        #expect(outcome.finding("inactive", "u1")?.severity == .high)
    }

    @Test(arguments: [SourceKind.processStreet])
    func sourceWithoutActivityFieldIsNeverInactive(kind: SourceKind) async throws {
        let outcome = try await review(
            [account("u1", email: "a@acme.com", created: GraphFixture.daysBefore(900))], kind: kind)
        #expect(outcome.flagged(by: "inactive") == [])
    }

    @Test func processMakerIsAnActivitySource() async throws {
        let outcome = try await review(
            [account("u1", email: "a@acme.com", lastSeen: GraphFixture.daysBefore(200))], kind: .processMaker)
        #expect(outcome.flagged(by: "inactive") == ["u1"])
    }

    @Test func deactivatedAndInvitedAccountsAreNotInactive() async throws {
        let outcome = try await review([
            account("off", email: "a@acme.com", status: .inactive, lastSeen: GraphFixture.daysBefore(200)),
            account("inv", email: "b@acme.com", status: .invited, created: GraphFixture.daysBefore(200)),
        ])
        #expect(outcome.flagged(by: "inactive") == [])
    }
}
