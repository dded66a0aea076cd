import Foundation
import IDGraphSimulator
import Testing

@Suite struct BenchmarkTests {
    @Test func benchmarkListsEveryUserOfASmallCompany() async throws {
        let report = try await benchmarkLargeCompany(size: 60, seed: 3)
        #expect(report.components(separatedBy: "\n").count == 7)
        // The benchmark generates the company as of today, as this does.
        let company = Company.generate(size: 60, seed: 3)
        func line(_ system: SimulatedSystem, _ users: Int, pageSize: Int?) -> String {
            // A full last page costs one more (empty) request.
            let requests = pageSize.map { users / $0 + 1 } ?? 1
            return "list \(system.displayName): \(users) users in \(requests) requests: "
        }
        let active: (SimulatedSystem) -> Int = { system in company.records(system).accounts.filter { $0.expectedStatus == .active }.count }
        let expected = [
            line(.processStreet, active(.processStreet), pageSize: 20),
            line(.proofHub, company.records(.proofHub).accounts.count, pageSize: 100),
            line(.streak, company.records(.streak).accounts.filter { $0.expectedStatus != .invited }.count, pageSize: nil),
            line(.processMaker, company.records(.processMaker).listedAccounts.count, pageSize: 500),
            line(.procore, active(.procore), pageSize: 2000),
        ]
        for text in expected {
            #expect(report.contains(text), "report lacks \(text)\n\(report)")
        }
    }
}
