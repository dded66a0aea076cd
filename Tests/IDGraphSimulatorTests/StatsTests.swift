import AsyncHTTPClient
import Foundation
import IDGraphSimulator
import NIOHTTP1
import Testing

@Suite struct StatsTests {
    @Test func statsEndpointMatchesTheClusterCounters() async throws {
        try await withCluster(systems: [.processStreet]) { cluster, client in
            let base = cluster.baseURL(.processStreet)
            _ = try await client.send(base + "/members", headers: Auth.processStreet)
            _ = try await client.send(base + "/members")
            _ = try await client.send(base + "/nothing-here", headers: Auth.processStreet)
            let origin = base.replacingOccurrences(of: "/api/v1", with: "")
            let stats = try await client.send(origin + "/__stats").object
            #expect(stats["requests"] as? Int == 3)
            #expect(stats["unauthorized"] as? Int == 1)
            #expect(stats["clientErrors"] as? Int == 2)
            #expect(stats["serverErrors"] as? Int == 0)
            #expect(stats["nonGetRequests"] as? Int == 0)
            #expect(stats["rateLimited"] as? Int == 0)
            #expect(stats["tokenRequests"] as? Int == 0)
            let counters = cluster.stats(.processStreet)
            #expect(counters.requests == 3 && counters.unauthorized == 1 && counters.clientErrors == 2)
        }
    }

    @Test(arguments: [SimulatedSystem.processStreet, .proofHub, .streak, .processMaker, .procore])
    func writesAreRefusedAndCounted(_ system: SimulatedSystem) async throws {
        try await withCluster(systems: [system]) { cluster, client in
            let base = cluster.baseURL(system)
            for method in [HTTPMethod.POST, .PUT, .PATCH, .DELETE] {
                let reply = try await client.send(base + "/users/1", method: method, headers: Auth.processStreet, body: "{}")
                #expect(reply.status == 405)
            }
            #expect(cluster.stats(system).nonGetRequests == 4)
            #expect(cluster.stats(system).clientErrors == 4)
        }
    }
}
