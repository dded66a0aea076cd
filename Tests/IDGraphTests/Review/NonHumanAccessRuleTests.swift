import Foundation
import IDGraph
import Testing

@Suite struct NonHumanAccessRuleTests {
    private func review(_ accounts: [Account]) async throws -> ReviewOutcome {
        var graph = try await GraphFixture()
        try await graph.addRoster([person("ann@acme.com")])
        try await graph.addSource("procore", kind: .procore, accounts: accounts)
        return try await graph.review()
    }

    private func typed(_ id: String, _ type: AccountType, status: AccountStatus = .active, admin: Bool = false) -> Account {
        var typed = account(id, email: "\(id)@acme.com", role: "Member", admin: admin, status: status)
        typed.accountType = type
        return typed
    }

    @Test func activeServiceAndExternalAccountsAreFlaggedAndNoOthers() async throws {
        let outcome = try await review([
            typed("svc", .service), typed("ext", .external, admin: true), typed("ann", .human),
            typed("old-svc", .service, status: .inactive), typed("new-ext", .external, status: .invited),
        ])
        #expect(outcome.flagged(by: "non-human-access") == ["ext", "svc"])
        #expect(
            outcome.finding("non-human-access", "svc")?.detail
                == "service account with role Member; confirm who owns it and that it still needs access")
        #expect(
            outcome.finding("non-human-access", "ext")?.detail
                == "external account with role Member, admin; confirm who owns it and that it still needs access")
        #expect(outcome.finding("non-human-access", "svc")?.severity == .low)
    }
}
