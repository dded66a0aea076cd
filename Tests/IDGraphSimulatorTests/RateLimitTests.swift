import AsyncHTTPClient
import Foundation
import IDGraphSimulator
import Testing

/// Windows of 30 seconds: nothing leaves the window during a test, so counts are exact without sleeping.
@Suite struct RateLimitTests {
    let small = RateLimit(requests: 5, windowSeconds: 30)

    func options(_ system: SimulatedSystem, tokens: [String] = []) -> SimulatorOptions {
        SimulatorOptions(rateLimitOverrides: [system: small], additionalTokens: [system: tokens])
    }

    @Test func proofHubSendsRateLimitHeadersAndNoRetryAfter() async throws {
        try await withCluster(options: options(.proofHub, tokens: ["second-token"]), systems: [.proofHub]) { cluster, client in
            let url = cluster.baseURL(.proofHub) + "/projects"
            let now = Int(Date().timeIntervalSince1970)
            for expected in (0..<5).reversed() {
                let reply = try await client.send(url, headers: Auth.proofHub)
                #expect(reply.status == 200)
                #expect(reply.header("X-RateLimit-Limit") == "5")
                #expect(reply.header("X-RateLimit-Remaining") == String(expected))
            }
            let limited = try await client.send(url, headers: Auth.proofHub)
            #expect(limited.status == 429)
            #expect(limited.header("Retry-After") == nil)
            #expect(limited.header("X-RateLimit-Remaining") == "0")
            let after = Int(Date().timeIntervalSince1970.rounded(.up))
            let reset = try #require(Int(limited.header("X-RateLimit-Reset") ?? ""))
            // The oldest request of the window leaves it 30 s after it was sent.
            #expect(reset >= now + 29 && reset <= after + 31, "reset \(reset), sent from \(now) to \(after)")
            // The window is per token: another token still has its whole budget.
            let other = try await client.send(url, headers: [("Authorization", "Bearer second-token"), ("User-Agent", "t")])
            #expect(other.status == 200 && other.header("X-RateLimit-Remaining") == "4")
            #expect(cluster.stats(.proofHub).rateLimited == 1)
        }
    }

    @Test func procoreSendsRetryAfterAndItsOwnHeaderNames() async throws {
        try await withCluster(options: options(.procore), systems: [.procore]) { cluster, client in
            let token = try await Auth.procoreToken(client, cluster)
            let url = cluster.baseURL(.procore) + "/projects?company_id=\(cluster.company.procoreCompanyID)"
            for _ in 0..<5 {
                let reply = try await client.send(url, headers: [("Authorization", "Bearer \(token)")])
                #expect(reply.status == 200 && reply.header("X-Rate-Limit-Limit") == "5")
            }
            let limited = try await client.send(url, headers: [("Authorization", "Bearer \(token)")])
            #expect(limited.status == 429)
            let retry = try #require(Int(limited.header("Retry-After") ?? ""))
            #expect(retry >= 1 && retry <= 30)
            #expect(limited.header("X-Rate-Limit-Remaining") == "0")
            #expect(limited.header("X-Rate-Limit-Reset") != nil)
            // A new token of the same OAuth application shares the window ("per OAuth application").
            let second = try await Auth.procoreToken(client, cluster)
            try await check(try await client.send(url, headers: [("Authorization", "Bearer \(second)")]).status == 429)
        }
    }

    @Test(arguments: [SimulatedSystem.processStreet, .streak, .processMaker])
    func otherSystemsAnswer429InTheirOwnWay(_ system: SimulatedSystem) async throws {
        try await withCluster(options: options(system), systems: [system]) { cluster, client in
            let (url, headers): (String, [(String, String)]) = switch system {
            case .processStreet: (cluster.baseURL(system) + "/groups", Auth.processStreet)
            case .streak: (cluster.baseURL(system) + "/users/me", Auth.streak)
            default: (cluster.baseURL(system) + "/groups", Auth.processMaker)
            }
            for _ in 0..<5 { try await check(try await client.send(url, headers: headers).status == 200) }
            let limited = try await client.send(url, headers: headers)
            #expect(limited.status == 429)
            switch system {
            case .processStreet:
                #expect(limited.header("Retry-After") != nil && limited.header("X-RateLimit-Limit") == nil)
            case .streak:
                #expect(limited.header("Retry-After") == nil && limited.header("X-RateLimit-Limit") == nil)
            default:
                #expect(limited.header("Retry-After") != nil && limited.header("X-RateLimit-Reset") != nil)
                #expect(limited.header("X-RateLimit-Limit") == "5")
            }
            #expect(cluster.stats(system).rateLimited == 1)
            #expect(cluster.stats(system).clientErrors == 1)
        }
    }

    @Test func defaultsFollowTheGuides() {
        #expect(RateLimit.standard(.proofHub) == RateLimit(requests: 30, windowSeconds: 10))
        #expect(RateLimit.standard(.procore) == RateLimit(requests: 60, windowSeconds: 60))
        #expect(SimulatorOptions().rateLimit(for: .streak) != nil)
        #expect(SimulatorOptions(rateLimits: false).rateLimit(for: .streak) == nil)
    }
}
