import AsyncHTTPClient
import Foundation
import IDGraphSimulator
import NIOCore
import NIOHTTP1
import Testing

/// A generated company shared by the tests (generation is deterministic, so sharing is safe).
enum Fixture {
    static let asOf = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z
    static let company = Company.generate(size: 300, seed: 42, asOf: asOf)
}

/// A response read whole.
struct Reply {
    var status: Int
    var headers: HTTPHeaders
    var body: String

    /// The body parsed as JSON.
    var json: Any? { try? JSONSerialization.jsonObject(with: Data(body.utf8), options: [.fragmentsAllowed]) }
    var array: [[String: Any]] { (json as? [[String: Any]]) ?? [] }
    var object: [String: Any] { (json as? [String: Any]) ?? [:] }
    func header(_ name: String) -> String? { headers.first(name: name) }
}

/// Starts a cluster, hands the test a plain HTTP client, and stops both.
func withCluster(
    company: Company = Fixture.company, options: SimulatorOptions = SimulatorOptions(rateLimits: false),
    systems: Set<SimulatedSystem> = Set(SimulatedSystem.allCases),
    _ body: (SimulatorCluster, HTTPClient) async throws -> Void
) async throws {
    let cluster = try await SimulatorCluster.start(company: company, options: options, systems: systems)
    let client = HTTPClient(eventLoopGroupProvider: .singleton)
    do {
        try await body(cluster, client)
    } catch {
        try? await client.shutdown()
        await cluster.stop()
        throw error
    }
    try await client.shutdown()
    await cluster.stop()
}

extension HTTPClient {
    /// Sends a request and reads the whole body.
    func send(_ url: String, method: HTTPMethod = .GET, headers: [(String, String)] = [], body: String? = nil) async throws -> Reply {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await execute(request, timeout: .seconds(30))
        let buffer = try await response.body.collect(upTo: 64 * 1024 * 1024)
        return Reply(status: Int(response.status.code), headers: response.headers, body: String(buffer: buffer))
    }
}

/// The right credentials header for each system.
enum Auth {
    static func bearer(_ name: String, _ company: Company = Fixture.company) -> (String, String) {
        ("Authorization", "Bearer \(company.credentials[name]!)")
    }
    static var processStreet: [(String, String)] { [bearer(Company.CredentialName.processStreetToken)] }
    static var proofHub: [(String, String)] { [bearer(Company.CredentialName.proofHubToken), ("User-Agent", "idgraph-tests")] }
    static var processMaker: [(String, String)] { [bearer(Company.CredentialName.processMakerToken)] }
    static func streakBasic(_ key: String) -> (String, String) {
        ("Authorization", "Basic " + Data("\(key):".utf8).base64EncodedString())
    }
    static var streak: [(String, String)] { [streakBasic(Fixture.company.credentials[Company.CredentialName.streakAPIKey]!)] }

    /// Gets a Procore access token through the client-credentials flow.
    static func procoreToken(_ client: HTTPClient, _ cluster: SimulatorCluster) async throws -> String {
        let c = cluster.company.credentials
        let reply = try await client.send(
            cluster.procoreTokenURL, method: .POST, headers: [("Content-Type", "application/x-www-form-urlencoded")],
            body: "grant_type=client_credentials&client_id=\(c[Company.CredentialName.procoreClientID]!)&client_secret=\(c[Company.CredentialName.procoreClientSecret]!)")
        return reply.object["access_token"] as? String ?? ""
    }
}

/// `#expect` for a condition that needs `try await` (the macro rejects `try await` inside these closures).
func check(_ condition: @autoclosure () async throws -> Bool, _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation) async throws {
    let value = try await condition()
    #expect(value, comment, sourceLocation: sourceLocation)
}
