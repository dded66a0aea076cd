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
}
