import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Generates a company of `size` people, serves it, lists every user of every system over HTTP and reports the times.
///
/// Rate limits are off: this measures the simulator and the generator, not a vendor's throttling.
/// The returned text is ready to print, one measurement per line.
public func benchmarkLargeCompany(size: Int = 100_000, seed: UInt64 = 1) async throws -> String {
    let clock = ContinuousClock()
    var lines: [String] = []
    var company: Company!
    let generation = clock.measure { company = Company.generate(size: size, seed: seed) }
    lines.append("generate \(company.roster.count) roster rows, \(company.accountCount) accounts: \(generation)")
    var cluster: SimulatorCluster!
    let startup = try await clock.measure {
        cluster = try await SimulatorCluster.start(company: company, options: SimulatorOptions(rateLimits: false))
    }
    lines.append("encode and start 5 servers: \(startup)")
    do {
        try await listEverything(company: company, cluster: cluster, into: &lines)
    } catch {
        await cluster.stop()
        throw error
    }
    await cluster.stop()
    return lines.joined(separator: "\n")
}

/// Pages through every system's user list, appending one timing line per system.
private func listEverything(company: Company, cluster: SimulatorCluster, into lines: inout [String]) async throws {
    let clock = ContinuousClock()
    let session = URLSession(configuration: .ephemeral)
    let credentials = company.credentials
    for system in SimulatedSystem.allCases {
        let base = cluster.baseURL(system)
        var requests = 0, users = 0
        let listing = try await clock.measure {
            var token: String?
            if system == .procore {
                var request = URLRequest(url: URL(string: cluster.procoreTokenURL)!)
                request.httpMethod = "POST"
                request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
                request.httpBody = Data(("grant_type=client_credentials&client_id=\(credentials[Company.CredentialName.procoreClientID]!)"
                    + "&client_secret=\(credentials[Company.CredentialName.procoreClientSecret]!)").utf8)
                let (data, _) = try await session.data(for: request)
                token = (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["access_token"] as? String
            }
            let vendor = system.vendor
            var page = 0
            while true {
                var request = URLRequest(url: URL(string: base + vendor.benchmarkPage(page, company: company))!)
                request.setValue("idgraph-benchmark (bench@example.com)", forHTTPHeaderField: "User-Agent")
                for (name, value) in vendor.benchmarkHeaders(company: company) { request.setValue(value, forHTTPHeaderField: name) }
                if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
                let (data, _) = try await session.data(for: request)
                requests += 1
                let json = try JSONSerialization.jsonObject(with: data)
                let items = (json as? [Any])
                    ?? ((json as? [String: Any]).flatMap { ($0["users"] ?? $0["data"] ?? $0["results"]) as? [Any] }) ?? []
                users += items.count
                guard let size = vendor.benchmarkPageSize, items.count == size else { break }
                page += 1
            }
        }
        lines.append("list \(system.displayName): \(users) users in \(requests) requests: \(listing)")
    }
}
