import AsyncHTTPClient
import Foundation
import IDGraphSimulator
import Testing

/// Small budgets in 30-second windows: nothing leaves the window during a test, so counts are exact without sleeping.
@Suite struct RateLimitTests {
    let small = RateLimit(requests: 3, windowSeconds: 30)

    func options(_ system: SimulatedSystem, tokens: [String] = []) -> SimulatorOptions {
        SimulatorOptions(rateLimitOverrides: [system: small], additionalTokens: [system: tokens])
    }

    static let budgetHeaders = ["X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "X-Rate-Limit-Limit", "X-Rate-Limit-Remaining", "X-Rate-Limit-Reset"]

    func hasNoBudgetHeaders(_ reply: Reply) -> Bool { Self.budgetHeaders.allSatisfy { reply.header($0) == nil } }

    @Test func defaultsAreTheVendorFilesLimits() {
        #expect(RateLimit.standard(.processStreet) == RateLimit(requests: 100, windowSeconds: 10))
        #expect(RateLimit.standard(.proofHub) == RateLimit(requests: 25, windowSeconds: 10))
        #expect(RateLimit.standard(.streak) == RateLimit(requests: 40, windowSeconds: 10))
        #expect(RateLimit.standard(.processMaker) == nil)
        #expect(RateLimit.standard(.procore) == RateLimit(requests: 60, windowSeconds: 60))
        #expect(SimulatorOptions().rateLimit(for: .streak) == RateLimit(requests: 40, windowSeconds: 10))
        #expect(SimulatorOptions().rateLimit(for: .processMaker) == nil)
        #expect(SimulatorOptions(rateLimitOverrides: [.processMaker: small]).rateLimit(for: .processMaker) == small)
        #expect(SimulatorOptions(rateLimits: false).rateLimit(for: .streak) == nil)
        #expect(SimulatorOptions(rateLimits: false, rateLimitOverrides: [.streak: small]).rateLimit(for: .streak) == nil)
    }

    @Test func proofHubAdmits25RequestsIn10SecondsByDefault() async throws {
        try await withCluster(options: SimulatorOptions(), systems: [.proofHub]) { cluster, client in
            let url = cluster.baseURL(.proofHub) + "/roles"
            // All 26 at once, so they land well inside one 10-second window however busy the machine:
            // 25 are admitted and one is refused, with a Retry-After within the window.
            let replies = try await withThrowingTaskGroup(of: Reply.self) { group in
                for _ in 1...26 { group.addTask { try await client.send(url, headers: Auth.proofHub()) } }
                var replies: [Reply] = []
                for try await reply in group { replies.append(reply) }
                return replies
            }
            #expect(replies.filter { $0.status == 200 }.count == 25)
            let limited = try #require(replies.first { $0.status == 429 })
            let retry = try #require(Int(limited.header("Retry-After") ?? ""))
            #expect(retry >= 1 && retry <= 10)
        }
    }

    @Test func proofHubSendsRetryAfterAndNoBudgetHeaders() async throws {
        try await withCluster(options: options(.proofHub, tokens: ["second-key"]), systems: [.proofHub]) { cluster, client in
            let url = cluster.baseURL(.proofHub) + "/projects"
            for _ in 0..<3 {
                let reply = try await client.send(url, headers: Auth.proofHub())
                #expect(reply.status == 200)
                #expect(hasNoBudgetHeaders(reply) && reply.header("Retry-After") == nil)
            }
            let limited = try await client.send(url, headers: Auth.proofHub())
            #expect(limited.status == 429)
            #expect(limited.object["error"] as? String == "Too Many Requests")
            let retry = try #require(Int(limited.header("Retry-After") ?? ""))
            #expect(retry >= 1 && retry <= 30)
            #expect(hasNoBudgetHeaders(limited))
            // The window is per key: another key still has its whole budget.
            try await check(try await client.send(url, headers: [("X-API-KEY", "second-key"), Auth.proofHubAgent]).status == 200)
            // Refused requests never reach the limiter, and a limited key stays limited.
            try await check(try await client.send(url, headers: [("X-API-KEY", "wrong"), Auth.proofHubAgent]).status == 401)
            try await check(try await client.send(url, headers: Auth.proofHub()).status == 429)
            let stats = cluster.stats(.proofHub)
            #expect(stats.rateLimited == 2)
            #expect(stats.clientErrors == 3)
        }
    }

    @Test func procoreSendsBudgetHeadersOnEveryResponseAndLimitsPerClient() async throws {
        try await withCluster(options: options(.procore), systems: [.procore]) { cluster, client in
            let auth = try await Auth.procore(client, cluster)
            let url = cluster.baseURL(.procore) + "/projects?company_id=\(cluster.company.procoreCompanyID)"
            let before = Int(Date().timeIntervalSince1970)
            for remaining in [2, 1, 0] {
                let reply = try await client.send(url, headers: auth)
                #expect(reply.status == 200)
                #expect(reply.header("X-Rate-Limit-Limit") == "3")
                #expect(reply.header("X-Rate-Limit-Remaining") == String(remaining))
                let reset = try #require(Int(reply.header("X-Rate-Limit-Reset") ?? ""))
                #expect(reset >= before + 29 && reset <= Int(Date().timeIntervalSince1970) + 31, "reset \(reset)")
            }
            let limited = try await client.send(url, headers: auth)
            #expect(limited.status == 429)
            #expect(limited.header("X-Rate-Limit-Remaining") == "0")
            #expect(limited.header("X-Rate-Limit-Reset") != nil)
            // Retry-After is documented on 503 only.
            #expect(limited.header("Retry-After") == nil)
            #expect(limited.header("Content-Type")?.hasPrefix("text/plain") == true)
            #expect(limited.body.contains("wait until your limit resets"))
            // A new token of the same OAuth client shares the window; the token endpoint itself is not limited.
            let second = try await Auth.procore(client, cluster)
            try await check(try await client.send(url, headers: second).status == 429)
            #expect(cluster.stats(.procore).rateLimited == 2)
        }
    }

    @Test func processStreetAnswers429WithRetryAfterOnly() async throws {
        try await withCluster(options: options(.processStreet), systems: [.processStreet]) { cluster, client in
            let url = cluster.baseURL(.processStreet) + "/users"
            for _ in 0..<3 {
                let reply = try await client.send(url, headers: Auth.processStreet())
                #expect(reply.status == 200)
                #expect(hasNoBudgetHeaders(reply))
            }
            let limited = try await client.send(url, headers: Auth.processStreet())
            #expect(limited.status == 429)
            #expect(limited.object["errorCode"] as? String == "TooManyRequests")
            let retry = try #require(Int(limited.header("Retry-After") ?? ""))
            #expect(retry >= 1 && retry <= 30)
            #expect(hasNoBudgetHeaders(limited))
            #expect(cluster.stats(.processStreet).rateLimited == 1)
        }
    }

    @Test func streakAnswersABare429() async throws {
        try await withCluster(options: options(.streak), systems: [.streak]) { cluster, client in
            let url = cluster.baseURL(.streak) + "/v1/users/me"
            for _ in 0..<3 {
                let reply = try await client.send(url, headers: Auth.streak())
                #expect(reply.status == 200 && hasNoBudgetHeaders(reply))
            }
            let limited = try await client.send(url, headers: Auth.streak())
            #expect(limited.status == 429)
            #expect(limited.header("Retry-After") == nil)
            #expect(hasNoBudgetHeaders(limited))
            #expect(limited.object["error"] is String)
            #expect(cluster.stats(.streak).rateLimited == 1)
            #expect(cluster.stats(.streak).clientErrors == 1)
        }
    }

    @Test func processMakerHasNoLimitByDefault() async throws {
        try await withCluster(options: SimulatorOptions(), systems: [.processMaker]) { cluster, client in
            let url = cluster.baseURL(.processMaker) + "/groups"
            for n in 1...50 {
                let reply = try await client.send(url, headers: Auth.processMaker())
                #expect(reply.status == 200, "request \(n)")
                #expect(hasNoBudgetHeaders(reply))
            }
            #expect(cluster.stats(.processMaker).rateLimited == 0)
        }
    }

    @Test func processMakerSendsLaravelThrottleHeadersWhenALimitIsSet() async throws {
        try await withCluster(options: options(.processMaker), systems: [.processMaker]) { cluster, client in
            let url = cluster.baseURL(.processMaker) + "/groups"
            for remaining in [2, 1, 0] {
                let reply = try await client.send(url, headers: Auth.processMaker())
                #expect(reply.status == 200)
                #expect(reply.header("X-RateLimit-Limit") == "3")
                #expect(reply.header("X-RateLimit-Remaining") == String(remaining))
                #expect(reply.header("Retry-After") == nil)
            }
            let limited = try await client.send(url, headers: Auth.processMaker())
            #expect(limited.status == 429)
            #expect(limited.object["message"] as? String == "Too Many Attempts.")
            let retry = try #require(Int(limited.header("Retry-After") ?? ""))
            #expect(retry >= 1 && retry <= 30)
            #expect(limited.header("X-RateLimit-Reset") != nil)
            #expect(limited.header("X-RateLimit-Remaining") == "0")
        }
    }

    @Test func rateLimitsOffAdmitEverything() async throws {
        let options = SimulatorOptions(rateLimits: false, rateLimitOverrides: [.proofHub: small])
        try await withCluster(options: options, systems: [.proofHub]) { cluster, client in
            for n in 1...10 {
                try await check(try await client.send(cluster.baseURL(.proofHub) + "/roles", headers: Auth.proofHub()).status == 200, "request \(n)")
            }
        }
    }

    /// The one test that waits: for the Retry-After the server gave, which is the protocol under test.
    @Test func aLimitedKeyIsAdmittedAgainAfterRetryAfter() async throws {
        let options = SimulatorOptions(rateLimitOverrides: [.processStreet: RateLimit(requests: 2, windowSeconds: 2)])
        try await withCluster(options: options, systems: [.processStreet]) { cluster, client in
            let url = cluster.baseURL(.processStreet) + "/users"
            // Three at once land inside one two-second window however busy the machine: two are
            // admitted, one is refused.
            let replies = try await withThrowingTaskGroup(of: Reply.self) { group in
                for _ in 0..<3 { group.addTask { try await client.send(url, headers: Auth.processStreet()) } }
                var replies: [Reply] = []
                for try await reply in group { replies.append(reply) }
                return replies
            }
            #expect(replies.filter { $0.status == 200 }.count == 2)
            let limited = try #require(replies.first { $0.status == 429 })
            let retry = try #require(Int(limited.header("Retry-After") ?? ""))
            #expect(retry >= 1 && retry <= 2)
            try await Task.sleep(for: .seconds(retry))
            try await check(try await client.send(url, headers: Auth.processStreet()).status == 200)
        }
    }
}
