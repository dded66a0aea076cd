import AsyncHTTPClient
import Foundation
import IDGraphSimulator
import Testing

@Suite struct FaultTests {
    func options(_ faults: SimulatedFault...) -> SimulatorOptions {
        SimulatorOptions(rateLimits: false, faults: Set(faults))
    }

    @Test func truncatedBodyHitsExactlyTheChosenRequest() async throws {
        let fault = SimulatedFault(.truncatedBody, systems: [.processStreet], trigger: .requests(2, path: "/members"))
        try await withCluster(options: options(fault), systems: [.processStreet]) { cluster, client in
            let url = cluster.baseURL(.processStreet) + "/members"
            _ = try await client.send(cluster.baseURL(.processStreet) + "/groups", headers: Auth.processStreet)  // another path: not counted
            let first = try await client.send(url, headers: Auth.processStreet)
            #expect(first.json != nil)
            let second = try await client.send(url, headers: Auth.processStreet)
            #expect(second.status == 200)
            #expect(second.json == nil)
            #expect(second.body.hasPrefix("{\"members\":["))
            try await check(try await client.send(url, headers: Auth.processStreet).json != nil)
            #expect(cluster.stats(.processStreet).faultsInjected == 1)
        }
    }

    @Test func htmlServiceUnavailableOnEveryOtherRequest() async throws {
        let fault = SimulatedFault(.htmlServiceUnavailable, trigger: .everyNth(2))
        try await withCluster(options: options(fault), systems: [.processMaker]) { cluster, client in
            let url = cluster.baseURL(.processMaker) + "/users"
            let statuses = try await [1, 2, 3, 4].asyncMap { _ in try await client.send(url, headers: Auth.processMaker) }
            #expect(statuses.map(\.status) == [200, 503, 200, 503])
            #expect(statuses[1].header("Content-Type")?.hasPrefix("text/html") == true)
            #expect(statuses[1].body.contains("<html>"))
            #expect(cluster.stats(.processMaker).serverErrors == 2)
        }
    }

    @Test func connectionClosesMidResponse() async throws {
        let fault = SimulatedFault(.connectionDrop, trigger: .first(1, path: "/people"))
        try await withCluster(options: options(fault), systems: [.proofHub]) { cluster, client in
            let url = cluster.baseURL(.proofHub) + "/people"
            await #expect(throws: (any Error).self) {
                _ = try await client.send(url, headers: Auth.proofHub)
            }
            try await check(try await client.send(url, headers: Auth.proofHub).array.count == 25)
        }
    }

    @Test func slowResponsesAreDelayed() async throws {
        let fault = SimulatedFault(.slowResponse, trigger: .requests(1), delayMilliseconds: 300)
        try await withCluster(options: options(fault), systems: [.streak]) { cluster, client in
            let clock = ContinuousClock()
            let start = clock.now
            try await check(try await client.send(cluster.baseURL(.streak) + "/users/me", headers: Auth.streak).status == 200)
            #expect(clock.now - start >= .milliseconds(300))
        }
    }

    @Test func refusingSystemRefusesConnections() async throws {
        let options = SimulatorOptions(rateLimits: false, refusingSystems: [.streak])
        try await withCluster(options: options, systems: [.streak, .processStreet]) { cluster, client in
            #expect(cluster.baseURL(.streak).hasPrefix("http://127.0.0.1:"))
            await #expect(throws: (any Error).self) {
                _ = try await client.send(cluster.baseURL(.streak) + "/users/me", headers: Auth.streak)
            }
            try await check(try await client.send(cluster.baseURL(.processStreet) + "/members", headers: Auth.processStreet).status == 200)
        }
    }

    @Test func faultNamesAreStable() {
        #expect(FaultKind.allCases.map(\.rawValue) == ["truncated-body", "html-503", "connection-drop", "slow"])
    }
}

extension Array {
    /// Maps sequentially with an async transform.
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var out: [T] = []
        for element in self { out.append(try await transform(element)) }
        return out
    }
}

@Suite struct FaultListTests {
    @Test func parsesEverySwitch() throws {
        let options = try SimulatorOptions().addingFaults("truncated-body=9, html-503@procore=4,connection-drop,slow=800,token-expiry=5,refuse=streak,no-rate-limits")
        #expect(options.faults.contains(SimulatedFault(.truncatedBody, trigger: .everyNth(9))))
        #expect(options.faults.contains(SimulatedFault(.htmlServiceUnavailable, systems: [.procore], trigger: .everyNth(4))))
        #expect(options.faults.contains(SimulatedFault(.connectionDrop, trigger: .everyNth(11))))
        #expect(options.faults.contains(SimulatedFault(.slowResponse, trigger: .everyNth(3), delayMilliseconds: 800)))
        #expect(options.tokenExpirySeconds == 5)
        #expect(options.refusingSystems == [.streak])
        #expect(!options.rateLimits)
    }

    @Test(arguments: ["explode", "html-503@nowhere", "slow=fast", "refuse"])
    func rejectsUnknownSwitches(_ list: String) {
        #expect(throws: SimulatorError.self) { try SimulatorOptions().addingFaults(list) }
    }
}
