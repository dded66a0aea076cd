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
    /// The body as an array of objects (empty when it is not one).
    var array: [[String: Any]] { (json as? [[String: Any]]) ?? [] }
    /// The body as an object (empty when it is not one).
    var object: [String: Any] { (json as? [String: Any]) ?? [:] }
    /// The array of objects under `key` of the body object.
    func list(_ key: String) -> [[String: Any]] { (object[key] as? [[String: Any]]) ?? [] }
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

/// Options with one change, for the unfriendly variants that have no initializer parameter.
func simulatorOptions(rateLimits: Bool = false, _ change: (inout SimulatorOptions) -> Void) -> SimulatorOptions {
    var options = SimulatorOptions(rateLimits: rateLimits)
    change(&options)
    return options
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

extension SimulatorCluster {
    /// Process Street's SCIM root on the same server (`…/api/scim`).
    nonisolated var processStreetSCIM: String {
        let base = baseURL(.processStreet)
        return String(base.dropLast(SimulatedSystem.processStreet.basePath.count)) + "/api/scim"
    }

    /// The server's origin (`http://127.0.0.1:port`), where `/__stats` lives.
    nonisolated func origin(_ system: SimulatedSystem) -> String {
        String(baseURL(system).dropLast(system.basePath.count))
    }
}

/// The credentials each vendor takes, as its file documents them.
enum Auth {
    static func secret(_ name: String, _ company: Company = Fixture.company) -> String { company.credentials[name]! }

    /// Process Street: `X-API-KEY` (v1.1 and SCIM alike).
    static func processStreet(_ company: Company = Fixture.company) -> [(String, String)] {
        [("X-API-KEY", secret(Company.CredentialName.processStreetToken, company))]
    }

    /// The User-Agent ProofHub demands: an app name and an email in parentheses.
    static let proofHubAgent = ("User-Agent", "idgraph-tests (it-security@example.com)")

    /// ProofHub: `X-API-KEY` plus the User-Agent.
    static func proofHub(_ company: Company = Fixture.company) -> [(String, String)] {
        [("X-API-KEY", secret(Company.CredentialName.proofHubToken, company)), proofHubAgent]
    }

    /// Streak: HTTP Basic with the key as user name and an empty password.
    static func streakBasic(_ key: String) -> (String, String) {
        ("Authorization", "Basic " + Data("\(key):".utf8).base64EncodedString())
    }

    static func streak(_ company: Company = Fixture.company) -> [(String, String)] {
        [streakBasic(secret(Company.CredentialName.streakAPIKey, company))]
    }

    static func bearer(_ token: String) -> (String, String) { ("Authorization", "Bearer \(token)") }

    /// ProcessMaker: `Authorization: Bearer`.
    static func processMaker(_ company: Company = Fixture.company) -> [(String, String)] {
        [bearer(secret(Company.CredentialName.processMakerToken, company))]
    }

    /// The form body of Procore's client-credentials grant.
    static func procoreGrant(_ company: Company, secret clientSecret: String? = nil) -> String {
        "grant_type=client_credentials&client_id=\(secret(Company.CredentialName.procoreClientID, company))"
            + "&client_secret=\(clientSecret ?? secret(Company.CredentialName.procoreClientSecret, company))"
    }

    /// Gets a Procore access token through the client-credentials flow.
    static func procoreToken(_ client: HTTPClient, _ cluster: SimulatorCluster) async throws -> String {
        let reply = try await client.send(
            cluster.procoreTokenURL, method: .POST, headers: [("Content-Type", "application/x-www-form-urlencoded")],
            body: procoreGrant(cluster.company))
        try #require(reply.status == 200, "token endpoint: \(reply.status) \(reply.body)")
        return try #require(reply.object["access_token"] as? String)
    }

    /// The `Procore-Company-Id` header of the cluster's company.
    static func procoreCompany(_ company: Company) -> (String, String) {
        ("Procore-Company-Id", String(company.procoreCompanyID))
    }

    /// Procore: a fresh OAuth token plus the company header.
    static func procore(_ client: HTTPClient, _ cluster: SimulatorCluster) async throws -> [(String, String)] {
        [bearer(try await procoreToken(client, cluster)), procoreCompany(cluster.company)]
    }
}

/// `#expect` for a condition that needs `try await` (the macro rejects `try await` inside these closures).
func check(_ condition: @autoclosure () async throws -> Bool, _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation) async throws {
    let value = try await condition()
    #expect(value, comment, sourceLocation: sourceLocation)
}

/// A number in a JSON object as an Int (ids are JSON numbers for ProofHub, ProcessMaker and Procore).
func int(_ value: Any?) -> Int? { value as? Int }

/// The sizes of the pages that hold `total` records `size` at a time (no trailing empty page).
func pageSizes(_ total: Int, _ size: Int) -> [Int] {
    stride(from: 0, to: total, by: size).map { min(size, total - $0) }
}

/// The sorted keys of a JSON object.
func keys(_ object: [String: Any]) -> [String] { object.keys.sorted() }

extension Array {
    /// Maps sequentially with an async transform.
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var out: [T] = []
        for element in self { out.append(try await transform(element)) }
        return out
    }
}
