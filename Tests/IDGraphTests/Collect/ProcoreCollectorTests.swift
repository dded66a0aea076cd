import Foundation
import GRDB
import IDGraphSimulator
import Synchronization
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
        // Tokens live ten seconds and are replaced after five, ahead of expiry; the requests at one
        // per 1.2 s take longer than that. How long each request takes depends on the machine, so
        // the moment of renewal is checked by the clock the test drives (below); here, the whole
        // collection over real sockets.
        let options = SimulatorOptions(
            rateLimits: true, rateLimitOverrides: [.procore: RateLimit(requests: 1, windowSeconds: 1.2)],
            procoreTokenLifetimeSeconds: 10)
        try await SimulatedCollection.with(options: options, systems: [.procore]) { sim in
            let report = try await sim.collect([.procore])
            #expect(report.exitStatus == .success, "\(report.outcomes.map { $0.error ?? $0.summary })")
            try await CollectorCompletenessTests().expectStored(sim, .procore)
            let posts = try await sim.store.writer.read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM request_journal WHERE source = 'procore' AND method = 'POST'")
            }
            let reasons = sim.events.all.compactMap { event -> TokenRequestReason? in
                if case .tokenRequested(_, let reason) = event { reason } else { nil }
            }
            #expect(reasons.count >= 2)
            #expect(reasons.first == .first)
            #expect(posts == reasons.count)
            #expect(sim.cluster.stats(.procore).tokenRequests == reasons.count)
        }
    }

    /// The moment a token is renewed, by a clock the test moves: reused until five seconds before
    /// its ten-second expiry, then replaced before any request is refused.
    @Test func tokenIsRenewedAtItsRefreshTime() async throws {
        let options = SimulatorOptions(rateLimits: false, procoreTokenLifetimeSeconds: 10)
        try await SimulatedCollection.with(options: options, systems: [.procore]) { sim in
            let source = try #require(sim.configuration.source(named: "procore"))
            let tokenURL = try #require(source.tokenURL)
            let clientID = try #require(source.clientID)
            let clientSecret = try #require(source.clientSecret)
            let clock = Mutex(ContinuousClock.now)
            let events = EventLog()
            try await Collectors.withHTTPClient(for: [source]) { http in
                let sink = SourceSink(checking: source, progress: ProgressSink { events.append($0) })
                let transport = Transport(http: http, sink: sink, timeoutSeconds: 60, maxBodyBytes: 1 << 20)
                let provider = OAuthTokenProvider(
                    source: source.name, credentialKeys: "client_id", tokenURL: tokenURL, clientID: clientID,
                    clientSecret: clientSecret, transport: transport, policy: SimulatedCollection.quickRetries,
                    now: { clock.withLock { $0 } })
                func advance(_ seconds: Double) { clock.withLock { $0 = $0.advanced(by: .milliseconds(Int64(seconds * 1000))) } }
                let first = try await provider.token()
                advance(4.9)
                #expect(try await provider.token() == first)
                #expect(sim.cluster.stats(.procore).tokenRequests == 1)
                advance(0.2)
                let second = try await provider.token()
                #expect(second != first)
                #expect(try await provider.token() == second)
                #expect(sim.cluster.stats(.procore).tokenRequests == 2)
            }
            let reasons = events.all.compactMap { event -> TokenRequestReason? in
                if case .tokenRequested(_, let reason) = event { reason } else { nil }
            }
            #expect(reasons == [.first, .aheadOfExpiry])
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
