import Foundation
import IDGraph
import Testing

@Suite struct DeactivatedWithAccessRuleTests {
    private let groups = [
        Container(containerID: "g1", type: .group, name: "Finance"),
        Container(containerID: "g2", type: .group, name: "Alpha"),
        Container(containerID: "g3", type: .group, name: "Sales"),
        Container(containerID: "g4", type: .group, name: "Board"),
        Container(containerID: "g5", type: .group, name: nil),
    ]

    private func review(_ accounts: [Account], memberships: [Membership]) async throws -> ReviewOutcome {
        var graph = try await GraphFixture()
        try await graph.addSource(
            "processmaker", kind: .processMaker, accounts: accounts, containers: groups, memberships: memberships)
        return try await graph.review()
    }

    @Test func deactivatedAccountWithMembershipsIsFlagged() async throws {
        let outcome = try await review(
            [account("7", email: "gone@acme.com", status: .inactive)],
            memberships: ["g1", "g2", "g3", "g4"].map { Membership(containerID: $0, accountID: "7") })
        let finding = try #require(outcome.finding("deactivated-with-access", "7"))
        #expect(finding.severity == .medium)
        #expect(finding.detail == "deactivated account still in 4 containers: Alpha, Board, Finance, …")
    }

    @Test func oneMembershipIsNamed() async throws {
        let outcome = try await review(
            [account("7", email: "gone@acme.com", status: .inactive)],
            memberships: [Membership(containerID: "g5", accountID: "7")])
        #expect(outcome.finding("deactivated-with-access", "7")?.detail == "deactivated account still in 1 container: g5")
    }

    @Test func deactivatedAccountWithoutMembershipsIsNotFlagged() async throws {
        let outcome = try await review(
            [account("7", email: "gone@acme.com", status: .inactive), account("8", email: "a@acme.com")],
            memberships: [Membership(containerID: "g1", accountID: "8")])
        #expect(outcome.flagged(by: "deactivated-with-access") == [])
    }

    @Test func organizationMembershipAloneIsNotAccess() async throws {
        var graph = try await GraphFixture()
        try await graph.addSource(
            "streak", kind: .streak, accounts: [account("7", email: "gone@acme.com", status: .inactive)],
            containers: [Container(containerID: "org", type: .organization, name: "Acme")],
            memberships: [Membership(containerID: "org", accountID: "7")])
        let outcome = try await graph.review()
        #expect(outcome.flagged(by: "deactivated-with-access") == [])
    }

    @Test func projectMembershipIsAccess() async throws {
        var graph = try await GraphFixture()
        try await graph.addSource(
            "procore", kind: .procore, accounts: [account("7", email: "gone@acme.com", status: .inactive)],
            containers: [Container(containerID: "p1", type: .project, name: "Tower B")],
            memberships: [Membership(containerID: "p1", accountID: "7", role: "Architect")])
        let outcome = try await graph.review()
        #expect(outcome.finding("deactivated-with-access", "7")?.detail == "deactivated account still in 1 container: Tower B")
    }

    @Test func activeAccountWithMembershipsIsNotFlagged() async throws {
        let outcome = try await review(
            [account("8", email: "a@acme.com")], memberships: [Membership(containerID: "g1", accountID: "8")])
        #expect(outcome.flagged(by: "deactivated-with-access") == [])
    }
}
