import AsyncHTTPClient
import Foundation
import IDGraphSimulator
import Testing

@Suite struct LargeCompanyTests {
    @Test func twoThousandPeopleAreServedCompletely() async throws {
        let company = Company.generate(size: 2000, seed: 9, asOf: Fixture.asOf)
        #expect(company.accountCount > 8000)
        try await withCluster(company: company) { cluster, client in
            let streak = [Auth.streakBasic(company.credentials[Company.CredentialName.streakAPIKey]!)]
            let users = try await client.send(cluster.baseURL(.streak) + "/organizations/\(company.streakOrgKey)/users", headers: streak).array
            #expect(users.count == company.records(.streak).accounts.count)
            let token = try await Auth.procoreToken(client, cluster)
            let procore = try await client.send(
                cluster.baseURL(.procore) + "/companies/\(company.procoreCompanyID)/users?per_page=10000", headers: [("Authorization", "Bearer \(token)")])
            #expect(procore.array.count == company.records(.procore).accounts.count)
            let pm = try await client.send(cluster.baseURL(.processMaker) + "/users?per_page=1000&page=2", headers: [Auth.bearer(Company.CredentialName.processMakerToken, company)])
            #expect((pm.object["meta"] as? [String: Any])?["total"] as? Int == company.records(.processMaker).accounts.count)
        }
    }
}
