import Foundation
import IDGraph
import Testing

@Suite struct OverPrivilegedRuleTests {
    private func review(approved: [String]?, accounts: [Account], aliases: [String: String] = [:]) async throws
        -> ReviewOutcome
    {
        var graph = try await GraphFixture(aliases: aliases)
        try await graph.addSource("process-street", kind: .processStreet, approvedAdmins: approved, accounts: accounts)
        return try await graph.review()
    }

    @Test func approvedAdminIsNotFlaggedWhateverTheCase() async throws {
        let outcome = try await review(
            approved: [" IT-Admin@Acme.io "],
            accounts: [account("1", email: "it-admin@ACME.com", role: "admin", admin: true)],
            aliases: ["acme.io": "acme.com"])
        #expect(outcome.flagged(by: "over-privileged") == [])
    }

    @Test func adminNotOnTheListIsFlagged() async throws {
        let outcome = try await review(
            approved: ["it-admin@acme.com"],
            accounts: [
                account("1", email: "it-admin@acme.com", admin: true),
                account("2", email: "eve@acme.com", role: "admin", admin: true),
            ])
        #expect(outcome.flagged(by: "over-privileged") == ["2"])
        #expect(
            outcome.finding("over-privileged", "2")?.detail
                == "admin (role admin); eve@acme.com is not among the 1 approved admins of process-street")
    }

    @Test func absentListFlagsEveryAdmin() async throws {
        let outcome = try await review(
            approved: nil,
            accounts: [
                account("1", email: "it-admin@acme.com", admin: true), account("2", email: "eve@acme.com", admin: true),
                account("3", email: "joe@acme.com"),
            ])
        #expect(outcome.flagged(by: "over-privileged") == ["1", "2"])
        #expect(outcome.finding("over-privileged", "1")?.detail.contains("no approved_admins list is configured") == true)
    }

    @Test func emptyListFlagsEveryAdmin() async throws {
        let outcome = try await review(approved: [], accounts: [account("1", email: "it-admin@acme.com", admin: true)])
        #expect(outcome.flagged(by: "over-privileged") == ["1"])
        #expect(outcome.finding("over-privileged", "1")?.detail.contains("list of process-street is empty") == true)
    }

    @Test func adminWithoutEmailIsFlaggedDespiteTheList() async throws {
        let outcome = try await review(
            approved: ["it-admin@acme.com"], accounts: [account("1", email: nil, admin: true)])
        #expect(outcome.flagged(by: "over-privileged") == ["1"])
    }

    @Test func deactivatedOrInvitedAdminIsNotFlagged() async throws {
        let outcome = try await review(
            approved: nil,
            accounts: [
                account("1", email: "old@acme.com", admin: true, status: .inactive),
                account("2", email: "new@acme.com", admin: true, status: .invited),
            ])
        #expect(outcome.flagged(by: "over-privileged") == [])
    }

    @Test func approvalIsPerSource() async throws {
        var graph = try await GraphFixture()
        try await graph.addSource(
            "process-street", kind: .processStreet, approvedAdmins: ["eve@acme.com"],
            accounts: [account("1", email: "eve@acme.com", admin: true)])
        try await graph.addSource(
            "proofhub", kind: .proofHub, approvedAdmins: ["it@acme.com"],
            accounts: [account("1", email: "eve@acme.com", admin: true)])
        let outcome = try await graph.review()
        #expect(outcome.findings(of: "over-privileged").map(\.source) == ["proofhub"])
    }
}
