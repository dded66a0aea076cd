import Foundation
import IDGraphSimulator
import Testing

@Suite struct BenchmarkTests {
    @Test func benchmarkListsEveryUserOfASmallCompany() async throws {
        let report = try await benchmarkLargeCompany(size: 60, seed: 3)
        #expect(report.components(separatedBy: "\n").count == 7)
        let company = Company.generate(size: 60, seed: 3)
        #expect(report.contains("list Streak: \(company.records(.streak).accounts.count) users in 1 requests"))
        #expect(report.contains("list Procore: \(company.records(.procore).accounts.count) users"))
    }

    /// The 100,000-person run; set IDGRAPH_BENCHMARK=1 to include it (it takes a while in debug builds).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["IDGRAPH_BENCHMARK"] != nil))
    func hundredThousandPeople() async throws {
        let report = try await benchmarkLargeCompany(size: 100_000)
        print(report)
        #expect(report.contains("list Process Street"))
    }
}
