import Foundation
import GRDB
import IDGraphSimulator
import Testing

@testable import IDGraph

/// Procore's OAuth token: requested once, reused, refreshed ahead of
/// `expires_in` and once after a 401, never in a loop.
@Suite struct ProcoreCollectorTests {
    /// A limit that stretches a small company's collection over a few seconds.
    static let slow = RateLimit(requests: 2, windowSeconds: 0.4)

    @Test func tokenIsRequestedOnceAndReused() async throws {
        try await SimulatedCollection.with(systems: [.procore]) { sim in
            try await sim.collect([.procore])
            let stats = sim.cluster.stats(.procore)
            #expect(stats.tokenRequests == 1)
            #expect(stats.unauthorized == 0)
        }
    }

    @Test func tokenIsRefreshedAheadOfExpiry() async throws {
        // Tokens live ten seconds and are replaced after five, ahead of expiry;
        // the requests at one per 1.2 s take longer than that. (The reason each token was asked
        // for is checked in tokenRefreshedOnceAfterExpiryMidCollection.)
        let options = SimulatorOptions(
            rateLimits: true, rateLimitOverrides: [.procore: RateLimit(requests: 1, windowSeconds: 1.2)],
            procoreTokenLifetimeSeconds: 10)
        try await SimulatedCollection.with(options: options, systems: [.procore]) { sim in
            let report = try await sim.collect([.procore])
            #expect(report.exitStatus == .success, "\(report.outcomes.map { $0.error ?? $0.summary })")
            try await CollectorCompletenessTests().expectStored(sim, .procore)
            // No request went out with the first token once it was due for renewal: five seconds
            // after it was asked for, or, when its response came later than that on a busy
            // machine, once it had come (the requests that waited for it use it at once). The
            // journal keeps whole seconds, so a second is added for the rounding and one for the
            // scheduling between taking the token and sending. A collector that renewed tokens only
            // after a refusal would go on sending the first until its tenth second. This holds
            // however slow the machine; whether a refusal came first does not (a request sent in
            // time can be held up past the token's expiry, and while every request is held up none
            // asks for a token).
            let journal = try await sim.store.writer.read { db in
                try Row.fetchAll(
                    db, sql: "SELECT seq, sent_at, method, milliseconds FROM request_journal WHERE source = 'procore' ORDER BY seq")
            }
            let posts = journal.filter { ($0["method"] as String) == "POST" }
            #expect(posts.count >= 2)
            let firstPost = try #require(posts.first)
            let first = try #require(Timestamp.parse(firstPost["sent_at"]))
            let due = max(5 + 1, Double(firstPost["milliseconds"] as Int) / 1000 + 1) + 1
            let second: Int = try #require(posts.dropFirst().first)["seq"]
            let late = journal.filter { row in
                (row["seq"] as Int) < second && (Timestamp.parse(row["sent_at"]) ?? first).timeIntervalSince(first) > due
            }
            #expect(late.isEmpty, "token received after \(firstPost["milliseconds"] as Int) ms: \(late)")
            let reasons = sim.events.all.compactMap { event -> TokenRequestReason? in
                if case .tokenRequested(_, let reason) = event { reason } else { nil }
            }
            #expect(reasons.first == .first)
            let tokenRequests = posts.count
            #expect(tokenRequests == reasons.count)
            #expect(sim.cluster.stats(.procore).tokenRequests == reasons.count)
        }
    }

    @Test func tokenRefreshedOnceAfterExpiryMidCollection() async throws {
        // The server stops honouring tokens after 1.5 s although expires_in promises two
        // hours; at one request per 0.5 s the collection outlives several tokens.
        let options = SimulatorOptions(
            rateLimits: true, rateLimitOverrides: [.procore: RateLimit(requests: 1, windowSeconds: 0.5)],
            tokenExpirySeconds: 1.5)
        try await SimulatedCollection.with(options: options, systems: [.procore]) { sim in
            let report = try await sim.collect([.procore])
            #expect(report.exitStatus == .success, "\(report.outcomes.map { $0.error ?? $0.summary })")
            try await CollectorCompletenessTests().expectStored(sim, .procore)
            let stats = sim.cluster.stats(.procore)
            #expect(stats.tokenRequests >= 2)
            // Every refusal is followed by a fresh token, and a token is refused at most once per
            // request in flight (max_concurrency, 4): a bound no machine load can break, where a
            // fixed count of refusals depended on how long requests waited on a busy machine.
            // The refusals teach the collector how long tokens really live, so it never asks for a
            // token per request.
            let concurrency = try #require(sim.configuration.source(named: "procore")?.maxConcurrency)
            #expect(stats.unauthorized <= stats.tokenRequests * concurrency)
            #expect(stats.tokenRequests * 2 <= stats.requests)
            // The first refusal asked for a token because of it; later ones come ahead of the
            // lifetime the refusals showed.
            let reasons = sim.events.all.compactMap { event -> TokenRequestReason? in
                if case .tokenRequested(_, let reason) = event { reason } else { nil }
            }
            #expect(reasons.first == .first)
            #expect(reasons.dropFirst().first == .refused, "\(reasons)")
        }
    }

    @Test func refusedClientCredentialsFailOnceWithAClearMessage() async throws {
        try await SimulatedCollection.with(systems: [.procore], adjust: { $0.clientSecret = Secret("not-the-secret-4711") }) { sim in
            let report = try await sim.collect([.procore])
            #expect(report.exitStatus == .failure)
            let error = try #require(report.outcomes.first?.error)
            // The keys to check, and the variables they came from; never a value.
            #expect(error.contains("check 'client_id' (from ${PROCORE_CLIENT_ID}) and 'client_secret' (from ${PROCORE_CLIENT_SECRET}) of source procore"), "\(error)")
            #expect(error.contains("/oauth/token"))
            #expect(!error.contains("not-the-secret-4711"))
            #expect(sim.cluster.stats(.procore).tokenRequests == 1)
        }
    }

    @Test func emailFallsBackToLogin() async throws {
        try await SimulatedCollection.with(systems: [.procore]) { sim in
            try await sim.collect([.procore])
            let withoutEmail = sim.company.records(.procore).accounts.filter { ($0.email ?? "").isEmpty }
            #expect(!withoutEmail.isEmpty)
            let rows = try sim.rows("accounts", .procore)
            for account in withoutEmail {
                let row = rows.first { $0["account_id"] == account.id }
                #expect(row?["email"] as String? == account.login)
            }
            // Inactive users keep their project memberships.
            let inactive = Set(sim.company.records(.procore).accounts.filter { $0.expectedStatus == .inactive }.map(\.id))
            let memberships = try sim.rows("memberships", .procore)
            #expect(memberships.contains { inactive.contains($0["account_id"]) })
        }
    }
}
