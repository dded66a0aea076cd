import AsyncHTTPClient
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import IDGraphSimulator
import Testing

@Suite struct FaultTests {
    func options(_ faults: SimulatedFault...) -> SimulatorOptions {
        SimulatorOptions(rateLimits: false, faults: Set(faults))
    }

    @Test func truncatedBodyHitsExactlyTheChosenRequest() async throws {
        let fault = SimulatedFault(.truncatedBody, systems: [.processStreet], trigger: .requests(2, path: "/users"))
        try await withCluster(options: options(fault), systems: [.processStreet]) { cluster, client in
            let url = cluster.baseURL(.processStreet) + "/users"
            // Another path, and the SCIM root's /Users, are not counted.
            _ = try await client.send(cluster.processStreetSCIM + "/Users", headers: Auth.processStreet())
            _ = try await client.send(cluster.baseURL(.processStreet) + "/nothing", headers: Auth.processStreet())
            // Refused requests are not counted either: faults come after authentication.
            try await check(try await client.send(url).status == 401)
            let first = try await client.send(url, headers: Auth.processStreet())
            #expect(first.json != nil)
            let second = try await client.send(url, headers: Auth.processStreet())
            #expect(second.status == 200)
            #expect(second.json == nil)
            #expect(second.body.hasPrefix("{\"users\":["))
            #expect(second.header("Content-Length") == String(second.body.utf8.count))
            #expect(second.body.utf8.count < first.body.utf8.count)
            try await check(try await client.send(url, headers: Auth.processStreet()).json != nil)
            #expect(cluster.stats(.processStreet).faultsInjected == 1)
        }
    }

    @Test func htmlServiceUnavailableOnEveryOtherRequest() async throws {
        let fault = SimulatedFault(.htmlServiceUnavailable, trigger: .everyNth(2))
        try await withCluster(options: options(fault), systems: [.processMaker]) { cluster, client in
            let url = cluster.baseURL(.processMaker) + "/users"
            let replies = try await [1, 2, 3, 4].asyncMap { _ in try await client.send(url, headers: Auth.processMaker()) }
            #expect(replies.map(\.status) == [200, 503, 200, 503])
            #expect(replies[1].header("Content-Type")?.hasPrefix("text/html") == true)
            #expect(replies[1].body.contains("<html>"))
            #expect(replies[0].json != nil)
            #expect(cluster.stats(.processMaker).serverErrors == 2)
            #expect(cluster.stats(.processMaker).faultsInjected == 2)
        }
    }

    @Test func faultPathsMatchOneSegmentPerStar() async throws {
        let fault = SimulatedFault(.htmlServiceUnavailable, systems: [.processMaker], trigger: .always.onPath("/groups/*/users"))
        try await withCluster(options: options(fault), systems: [.processMaker]) { cluster, client in
            let base = cluster.baseURL(.processMaker)
            try await check(try await client.send(base + "/groups/1/users", headers: Auth.processMaker()).status == 503)
            try await check(try await client.send(base + "/groups/2/users", headers: Auth.processMaker()).status == 503)
            try await check(try await client.send(base + "/groups/1/groups", headers: Auth.processMaker()).status == 200)
            try await check(try await client.send(base + "/groups", headers: Auth.processMaker()).status == 200)
            try await check(try await client.send(base + "/users", headers: Auth.processMaker()).status == 200)
        }
    }

    @Test func connectionClosesMidResponse() async throws {
        let fault = SimulatedFault(.connectionDrop, trigger: .first(1, path: "/people"))
        try await withCluster(options: options(fault), systems: [.proofHub]) { cluster, client in
            let url = cluster.baseURL(.proofHub) + "/people"
            await #expect(throws: (any Error).self) {
                _ = try await client.send(url, headers: Auth.proofHub())
            }
            try await check(try await client.send(url, headers: Auth.proofHub()).array.count == 100)
            #expect(cluster.stats(.proofHub).faultsInjected == 1)
        }
    }

    @Test func slowResponsesAreDelayed() async throws {
        let fault = SimulatedFault(.slowResponse, trigger: .requests(1), delayMilliseconds: 300)
        try await withCluster(options: options(fault), systems: [.streak]) { cluster, client in
            let clock = ContinuousClock()
            let start = clock.now
            try await check(try await client.send(cluster.baseURL(.streak) + "/v1/users/me", headers: Auth.streak()).status == 200)
            #expect(clock.now - start >= .milliseconds(300))
            #expect(cluster.stats(.streak).faultsInjected == 1)
        }
    }

    @Test func faultsOnOneSystemLeaveTheOthersAlone() async throws {
        let fault = SimulatedFault(.htmlServiceUnavailable, systems: [.procore], trigger: .always)
        try await withCluster(options: options(fault), systems: [.procore, .streak]) { cluster, client in
            try await check(try await client.send(cluster.baseURL(.streak) + "/v1/users/me", headers: Auth.streak()).status == 200)
            let auth = try await Auth.procore(client, cluster)  // the token endpoint is outside the faulty API
            try await check(try await client.send(cluster.baseURL(.procore) + "/projects?company_id=\(cluster.company.procoreCompanyID)", headers: auth).status == 503)
        }
    }

    @Test func refusingSystemRefusesConnections() async throws {
        let options = SimulatorOptions(rateLimits: false, refusingSystems: [.streak])
        try await withCluster(options: options, systems: [.streak, .processStreet]) { cluster, client in
            let refused = try #require(URL(string: cluster.baseURL(.streak)))
            #expect(refused.host == "127.0.0.1")
            #expect(refused.path == "/api")
            // A plain connect, so the refusal is seen at once (an HTTP client may retry connecting until its deadline).
            #expect(connectError(port: try #require(refused.port)) == ECONNREFUSED)
            let served = try #require(URL(string: cluster.baseURL(.processStreet))?.port)
            #expect(connectError(port: served) == 0)
            try await check(try await client.send(cluster.baseURL(.processStreet) + "/users", headers: Auth.processStreet()).status == 200)
            // Still refusing later: the port stays reserved.
            #expect(connectError(port: refused.port!) == ECONNREFUSED)
        }
    }

    @Test func faultNamesAreStable() {
        #expect(FaultKind.allCases.map(\.rawValue) == ["truncated-body", "html-503", "connection-drop", "slow", "slow-body", "header", "retry-after"])
    }
}

extension FaultTrigger {
    /// The same trigger limited to one path.
    func onPath(_ path: String) -> FaultTrigger {
        var trigger = self
        trigger.path = path
        return trigger
    }
}

@Suite struct FaultListTests {
    @Test func parsesEverySwitch() throws {
        let options = try SimulatorOptions().addingFaults("truncated-body=9, html-503@procore=4,connection-drop,slow=800,token-expiry=5,refuse=streak,no-rate-limits")
        #expect(options.faults.contains(SimulatedFault(.truncatedBody, trigger: .everyNth(9))))
        #expect(options.faults.contains(SimulatedFault(.htmlServiceUnavailable, systems: [.procore], trigger: .everyNth(4))))
        #expect(options.faults.contains(SimulatedFault(.connectionDrop, trigger: .everyNth(11))))
        #expect(options.faults.contains(SimulatedFault(.slowResponse, trigger: .everyNth(3), delayMilliseconds: 800)))
        #expect(options.faults.count == 4)
        #expect(options.tokenExpirySeconds == 5)
        #expect(options.refusingSystems == [.streak])
        #expect(!options.rateLimits)
    }

    @Test func defaultsOfTheSwitches() throws {
        let options = try SimulatorOptions().addingFaults("truncated-body,html-503,slow,token-expiry")
        #expect(options.faults.contains(SimulatedFault(.truncatedBody, trigger: .everyNth(7))))
        #expect(options.faults.contains(SimulatedFault(.htmlServiceUnavailable, trigger: .everyNth(5))))
        #expect(options.faults.contains(SimulatedFault(.slowResponse, trigger: .everyNth(3), delayMilliseconds: 1500)))
        #expect(options.tokenExpirySeconds == 60)
        #expect(options.rateLimits)
    }

    @Test(arguments: ["explode", "html-503@nowhere", "slow=fast", "refuse", "refuse=nowhere", "token-expiry=0"])
    func rejectsUnknownSwitches(_ list: String) {
        #expect(throws: SimulatorError.self) { try SimulatorOptions().addingFaults(list) }
    }
}

/// Connects a plain TCP socket to 127.0.0.1:`port`: 0 when it connects, else the `errno` of the failure.
func connectError(port: Int) -> Int32 {
    #if canImport(Glibc)
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
    let fd = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    guard fd >= 0 else { return errno }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let result = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    return result == 0 ? 0 : errno
}

/// The slow-body fault sends the headers at once and the body over the delay.
@Suite struct SlowBodyTests {
    @Test func theBodyArrivesOverTheDelayWhole() async throws {
        let faults: Set<SimulatedFault> = [SimulatedFault(.slowBody, systems: [.processMaker], trigger: .always, delayMilliseconds: 500)]
        try await withCluster(options: SimulatorOptions(rateLimits: false, faults: faults), systems: [.processMaker]) { cluster, client in
            let started = ContinuousClock.now
            let reply = try await client.send(cluster.baseURL(.processMaker) + "/users?per_page=5", headers: Auth.processMaker(cluster.company))
            #expect(ContinuousClock.now - started >= .milliseconds(400))
            #expect(reply.status == 200)
            #expect((reply.object["data"] as? [Any])?.count == 5)
        }
    }
}
