import AsyncHTTPClient
import Foundation
import IDGraphSimulator
import NIOHTTP1
import Testing

@Suite struct StatsTests {
    @Test func statsEndpointMatchesTheClusterCounters() async throws {
        try await withCluster(systems: [.processStreet]) { cluster, client in
            let base = cluster.baseURL(.processStreet)
            _ = try await client.send(base + "/users", headers: Auth.processStreet())
            _ = try await client.send(cluster.processStreetSCIM + "/Users", headers: Auth.processStreet())
            _ = try await client.send(base + "/users")
            _ = try await client.send(base + "/nothing-here", headers: Auth.processStreet())
            let stats = try await client.send(cluster.origin(.processStreet) + "/__stats").object
            #expect(stats["requests"] as? Int == 4)
            #expect(stats["unauthorized"] as? Int == 1)
            #expect(stats["clientErrors"] as? Int == 2)
            #expect(stats["serverErrors"] as? Int == 0)
            #expect(stats["nonGetRequests"] as? Int == 0)
            #expect(stats["rateLimited"] as? Int == 0)
            #expect(stats["tokenRequests"] as? Int == 0)
            #expect(stats["faultsInjected"] as? Int == 0)
            let counters = cluster.stats(.processStreet)
            #expect(counters.requests == 4 && counters.unauthorized == 1 && counters.clientErrors == 2)
            // Reading the counters is not itself counted.
            #expect(cluster.stats(.processStreet).requests == 4)
        }
    }

    static let writes: [HTTPMethod] = [.POST, .PUT, .PATCH, .DELETE]

    /// URLs that exist for GET on each system.
    func readable(_ system: SimulatedSystem, _ cluster: SimulatorCluster) -> [String] {
        let base = cluster.baseURL(system)
        return switch system {
        case .processStreet: [base + "/users", cluster.processStreetSCIM + "/Users"]
        case .proofHub: [base + "/people", base + "/roles"]
        case .streak: [base + "/v1/users/me", base + "/v2/teams/\(cluster.company.streakTeamKey)/users"]
        case .processMaker: [base + "/users", base + "/group_members"]
        case .procore: [base + "/companies/\(cluster.company.procoreCompanyID)/users", base + "/projects?company_id=\(cluster.company.procoreCompanyID)"]
        }
    }

    func credentials(_ system: SimulatedSystem) -> [(String, String)] {
        switch system {
        case .processStreet: Auth.processStreet()
        case .proofHub: Auth.proofHub()
        case .streak: Auth.streak()
        case .processMaker: Auth.processMaker()
        case .procore: [Auth.procoreCompany(Fixture.company)]
        }
    }

    @Test(arguments: SimulatedSystem.allCases)
    func writesAreRefusedAndCounted(_ system: SimulatedSystem) async throws {
        try await withCluster(systems: [system]) { cluster, client in
            var headers = credentials(system)
            if system == .procore { headers.append(Auth.bearer(try await Auth.procoreToken(client, cluster))) }
            var sent = 0
            for url in readable(system, cluster) {
                for method in Self.writes {
                    let reply = try await client.send(url, method: method, headers: headers, body: "{}")
                    #expect(reply.status == 405, "\(method) \(url)")
                    #expect(reply.header("Allow") == "GET")
                    sent += 1
                }
                // The same URL answers GET: the refusal is about the method, not the path.
                try await check(try await client.send(url, headers: headers).status == 200, "GET \(url)")
            }
            let stats = cluster.stats(system)
            #expect(stats.nonGetRequests == sent)
            #expect(stats.clientErrors == sent)
            #expect(stats.requests == sent + 2 + (system == .procore ? 1 : 0))
            #expect(stats.unauthorized == 0)
        }
    }

    @Test func procoreTokenPostIsTheOnlyWriteAccepted() async throws {
        try await withCluster(systems: [.procore]) { cluster, client in
            _ = try await Auth.procoreToken(client, cluster)
            let stats = cluster.stats(.procore)
            #expect(stats.tokenRequests == 1)
            #expect(stats.nonGetRequests == 0)
            #expect(stats.requests == 1)
        }
    }

    /// "Every method but GET is refused, except the token endpoint's POST": other methods on the token
    /// path are writes too, and must be refused and counted like any other.
    @Test func otherMethodsOnTheTokenPathAreRefusedAndCounted() async throws {
        try await withCluster(systems: [.procore]) { cluster, client in
            for method in [HTTPMethod.PUT, .PATCH, .DELETE] {
                let reply = try await client.send(cluster.procoreTokenURL, method: method, headers: [("Content-Type", "application/x-www-form-urlencoded")],
                                                  body: Auth.procoreGrant(cluster.company))
                #expect(reply.status == 405, "\(method) /oauth/token answered \(reply.status)")
            }
            #expect(cluster.stats(.procore).nonGetRequests == 3)
            #expect(cluster.stats(.procore).tokenRequests == 0)
        }
    }
}
