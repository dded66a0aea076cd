import Foundation
import IDGraphSimulator
import Testing

/// The hostile-value switches serve what they promise on the wire.
@Suite struct HostileValueVariantTests {
    @Test func aHeaderFaultReplacesTheVendorsValue() async throws {
        let fault = SimulatedFault(.header, systems: [.processMaker], header: SimulatedHeader("X-RateLimit-Reset", "99999999999999999999"))
        try await withCluster(options: SimulatorOptions(rateLimits: true, faults: [fault]), systems: [.processMaker]) { cluster, client in
            let reply = try await client.send(cluster.baseURL(.processMaker) + "/users", headers: Auth.processMaker())
            #expect(reply.status == 200)
            #expect(reply.headers[canonicalForm: "X-RateLimit-Reset"] == ["99999999999999999999"])
            #expect(reply.json != nil)
        }
    }

    @Test func retryAfterAnswersEveryRequestWithTheVendors429() async throws {
        let fault = SimulatedFault(.retryAfter, systems: [.procore], header: SimulatedHeader("Retry-After", "1e300"))
        try await withCluster(options: SimulatorOptions(rateLimits: false, faults: [fault]), systems: [.procore]) { cluster, client in
            let reply = try await client.send(
                cluster.baseURL(.procore) + "/companies/\(Fixture.company.procoreCompanyID)/users",
                headers: try await Auth.procore(client, cluster))
            #expect(reply.status == 429)
            #expect(reply.header("Retry-After") == "1e300")
        }
    }

    @Test func hostileDatesAreServedAsAbsurdValues() async throws {
        var options = SimulatorOptions(rateLimits: false)
        options.hostileDates = [.proofHub]
        try await withCluster(options: options, systems: [.proofHub]) { cluster, client in
            let reply = try await client.send(cluster.baseURL(.proofHub) + "/people", headers: Auth.proofHub())
            #expect(reply.body.contains(#""last_active":1e300"#))
            #expect(reply.body.contains(#""created_at":"1234567890123456789012345678901""#))
        }
    }

    @Test func theSwitchesParseFromTheFaultList() throws {
        let options = try SimulatorOptions().addingFaults(
            "header=X-Per-Page:0@procore,header=Total:9223372036854775807,retry-after@streak,retry-after=99999999999999999999,hostile-dates@processmaker")
        #expect(options.faults.contains(SimulatedFault(.header, systems: [.procore], header: SimulatedHeader("X-Per-Page", "0"))))
        #expect(options.faults.contains(SimulatedFault(.header, header: SimulatedHeader("Total", "9223372036854775807"))))
        #expect(options.faults.contains(SimulatedFault(.retryAfter, systems: [.streak], header: SimulatedHeader("Retry-After", "1e300"))))
        #expect(options.faults.contains(SimulatedFault(.retryAfter, header: SimulatedHeader("Retry-After", "99999999999999999999"))))
        #expect(options.hostileDates == [.processMaker])
        #expect(throws: SimulatorError.self) { try SimulatorOptions().addingFaults("header=NoValue") }
        #expect(throws: SimulatorError.self) { try SimulatorOptions().addingFaults("header") }
    }
}
