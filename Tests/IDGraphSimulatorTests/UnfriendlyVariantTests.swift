import AsyncHTTPClient
import Foundation
import IDGraphSimulator
import Testing

/// The variants a real tenant may show where the vendor documents nothing: clamped pages, ignored
/// paging parameters, repeated pages, overstated totals, an ordinary user's ProcessMaker token,
/// SCIM ids equal to v1.1 ids.
@Suite struct UnfriendlyVariantTests {
    let company = Fixture.company
    static let clamp = 7

    func clamped(_ system: SimulatedSystem) -> SimulatorOptions {
        simulatorOptions { $0.pageSizeLimits = [system: Self.clamp] }
    }

    func ignoring(_ system: SimulatedSystem) -> SimulatorOptions {
        simulatorOptions { $0.pagingIgnored = [system] }
    }

    // MARK: clamp-page

    @Test func clampedProcessStreetPagesHoldAtMostNAndTheCursorLosesNothing() async throws {
        try await withCluster(options: clamped(.processStreet), systems: [.processStreet]) { cluster, client in
            let expected = company.records(.processStreet).accounts.filter { $0.expectedStatus == .active }
            let listed = try await Paging.processStreet(client, cluster.baseURL(.processStreet) + "/users", headers: Auth.processStreet())
            #expect(listed.pageSizes == pageSizes(expected.count, Self.clamp))
            #expect(Set(listed.ids()) == Set(expected.map(\.id)))
            #expect(listed.records.count == expected.count)
            let scim = try await client.send(cluster.processStreetSCIM + "/Users?count=100", headers: Auth.processStreet())
            #expect(scim.list("Resources").count == Self.clamp)
            #expect(scim.object["itemsPerPage"] as? Int == Self.clamp)
            #expect(scim.object["totalResults"] as? Int == company.records(.processStreet).accounts.count)
            let all = try await Paging.scim(client, cluster.processStreetSCIM + "/Users", count: 100, headers: Auth.processStreet())
            #expect(all.pageSizes.allSatisfy { $0 <= Self.clamp })
            #expect(all.records.count == company.records(.processStreet).accounts.count)
        }
    }

    @Test func clampedProofHubPagesHoldAtMostNAndOffsetsLoseNothing() async throws {
        try await withCluster(options: clamped(.proofHub), systems: [.proofHub]) { cluster, client in
            let ids = company.records(.proofHub).accounts.map(\.id)
            for (query, size) in [("", Self.clamp), ("?limit=100", Self.clamp), ("?start=20&limit=50", Self.clamp), ("?limit=3", 3)] {
                let page = try await client.send(cluster.baseURL(.proofHub) + "/people" + query, headers: Auth.proofHub()).array
                #expect(page.compactMap { int($0["id"]) } == ids.dropFirst(query.contains("start=20") ? 20 : 0).prefix(size).compactMap { Int($0) }, "\(query)")
            }
            let listed = try await Paging.proofHub(client, cluster.baseURL(.proofHub) + "/people", limit: 100, headers: Auth.proofHub())
            #expect(listed.ids() == ids)
            #expect(listed.pageSizes.allSatisfy { $0 <= Self.clamp })
        }
    }

    @Test func clampedProcessMakerPagesHoldAtMostNAndSayTheSizeUsed() async throws {
        try await withCluster(options: clamped(.processMaker), systems: [.processMaker]) { cluster, client in
            let count = company.records(.processMaker).listedAccounts.count
            for perPage in [10, 100, 5000] {
                let reply = try await client.send(cluster.baseURL(.processMaker) + "/users?per_page=\(perPage)", headers: Auth.processMaker())
                #expect(reply.list("data").count == Self.clamp, "per_page=\(perPage)")
                let meta = reply.object["meta"] as? [String: Any] ?? [:]
                #expect(meta["per_page"] as? Int == Self.clamp)
                #expect(meta["total"] as? Int == count)
                #expect(meta["last_page"] as? Int == (count + Self.clamp - 1) / Self.clamp)
            }
            // Reading pages 1…last_page while still asking for 100 loses nothing.
            let (listed, total) = try await Paging.processMaker(client, cluster.baseURL(.processMaker) + "/users", perPage: 100, headers: Auth.processMaker())
            #expect(total == count)
            #expect(listed.ids() == company.records(.processMaker).listedAccounts.map(\.id))
            #expect(listed.pageSizes == pageSizes(count, Self.clamp))
        }
    }

    @Test func clampedProcorePagesHoldAtMostN() async throws {
        try await withCluster(options: clamped(.procore), systems: [.procore]) { cluster, client in
            let auth = try await Auth.procore(client, cluster)
            let url = cluster.baseURL(.procore) + "/companies/\(company.procoreCompanyID)/users"
            let active = company.records(.procore).accounts.filter { $0.expectedStatus == .active }
            for perPage in [100, 10_000] {
                let reply = try await client.send(url + "?per_page=\(perPage)", headers: auth)
                #expect(reply.array.count == Self.clamp, "per_page=\(perPage)")
                #expect(reply.header("Total") == String(active.count))
                // The headers say the size really served, and the links count in it.
                #expect(reply.header("Per-Page") == String(Self.clamp))
                #expect(linkURL(reply.header("Link"), rel: "next") == url + "?page=2&per_page=\(Self.clamp)")
            }
            let (listed, _) = try await Paging.procore(client, url + "?per_page=100", headers: auth)
            #expect(listed.ids() == active.map(\.id))
            #expect(listed.pageSizes == pageSizes(active.count, Self.clamp))
        }
    }

    /// With page numbers, a server that serves fewer than asked counts its pages in the size it served
    /// (a Laravel paginator, or Procore's own 10,000 maximum: `offset = (page - 1) × size used`), as
    /// ProcessMaker's own `meta.per_page` and `meta.last_page` say. Otherwise the records between the
    /// clamp and the size asked for are on no page at all, and reading pages 1…last_page loses them.
    @Test(arguments: [SimulatedSystem.processMaker, .procore])
    func clampedPageNumbersCountInTheSizeServed(_ system: SimulatedSystem) async throws {
        try await withCluster(options: clamped(system), systems: [system]) { cluster, client in
            let expected: [String]
            var pages: [[String]] = []
            if system == .processMaker {
                expected = company.records(.processMaker).listedAccounts.map(\.id)
                let lastPage = (expected.count + Self.clamp - 1) / Self.clamp
                for page in 1...lastPage {
                    let reply = try await client.send(cluster.baseURL(system) + "/users?page=\(page)&per_page=100", headers: Auth.processMaker())
                    pages.append(reply.list("data").map { "\($0["id"] ?? "")" })
                }
            } else {
                let auth = try await Auth.procore(client, cluster)
                expected = company.records(.procore).accounts.filter { $0.expectedStatus == .active }.map(\.id)
                let lastPage = (expected.count + Self.clamp - 1) / Self.clamp
                for page in 1...lastPage {
                    let reply = try await client.send(
                        cluster.baseURL(system) + "/companies/\(company.procoreCompanyID)/users?page=\(page)&per_page=100", headers: auth)
                    pages.append(reply.array.map { "\($0["id"] ?? "")" })
                }
            }
            #expect(pages[1] == Array(expected[Self.clamp..<(2 * Self.clamp)]), "page 2 must follow page 1")
            let served = pages.flatMap { $0 }
            let lost = expected.count - Set(served).count
            #expect(lost == 0, "\(lost) of \(expected.count) users are on no page")
        }
    }

    // MARK: ignore-paging

    @Test func processStreetIgnoringPagingServesEveryUserAtOnceWithoutANextLink() async throws {
        try await withCluster(options: ignoring(.processStreet), systems: [.processStreet]) { cluster, client in
            let records = company.records(.processStreet)
            let reply = try await client.send(cluster.baseURL(.processStreet) + "/users?_=c_a", headers: Auth.processStreet())
            #expect(reply.list("users").count == records.accounts.filter { $0.expectedStatus == .active }.count)
            #expect(reply.list("links").isEmpty)
            let scim = try await client.send(cluster.processStreetSCIM + "/Users?startIndex=50&count=3", headers: Auth.processStreet())
            #expect(scim.list("Resources").count == records.accounts.count)
            #expect(scim.object["itemsPerPage"] as? Int == records.accounts.count)
            #expect(scim.object["totalResults"] as? Int == records.accounts.count)
        }
    }

    @Test func proofHubIgnoringPagingServesEveryRecordWhateverIsAsked() async throws {
        try await withCluster(options: ignoring(.proofHub), systems: [.proofHub]) { cluster, client in
            let records = company.records(.proofHub)
            for query in ["", "?start=0&limit=10", "?start=100&limit=3", "?start=100000"] {
                let people = try await client.send(cluster.baseURL(.proofHub) + "/people" + query, headers: Auth.proofHub()).array
                #expect(people.compactMap { int($0["id"]) } == records.accounts.compactMap { Int($0.id) }, "\(query)")
            }
            let projects = try await client.send(cluster.baseURL(.proofHub) + "/projects?start=1&limit=1", headers: Auth.proofHub()).array
            #expect(projects.count == records.containers.filter { $0.type == "project" }.count)
        }
    }

    @Test func processMakerIgnoringPagingServesEveryUserWhateverIsAsked() async throws {
        try await withCluster(options: ignoring(.processMaker), systems: [.processMaker]) { cluster, client in
            let expected = company.records(.processMaker).listedAccounts.map(\.id)
            for query in ["", "?page=3&per_page=2", "?page=1000&per_page=10"] {
                let reply = try await client.send(cluster.baseURL(.processMaker) + "/users" + query, headers: Auth.processMaker())
                #expect(reply.list("data").map { "\($0["id"] ?? "")" } == expected, "\(query)")
                #expect((reply.object["meta"] as? [String: Any])?["total"] as? Int == expected.count)
            }
        }
    }

    @Test func procoreIgnoringPagingServesEveryUserWhateverIsAsked() async throws {
        try await withCluster(options: ignoring(.procore), systems: [.procore]) { cluster, client in
            let auth = try await Auth.procore(client, cluster)
            let expected = company.records(.procore).accounts.filter { $0.expectedStatus == .active }.map(\.id)
            for query in ["", "?page=2&per_page=3", "?page=50&per_page=100"] {
                let reply = try await client.send(cluster.baseURL(.procore) + "/companies/\(company.procoreCompanyID)/users" + query, headers: auth)
                #expect(reply.array.map { "\($0["id"] ?? "")" } == expected, "\(query)")
                #expect(reply.header("Total") == String(expected.count))
            }
        }
    }

    @Test func streakIgnoringPagingServesEveryTeamAndNoNextPage() async throws {
        try await withCluster(options: ignoring(.streak), systems: [.streak]) { cluster, client in
            for query in ["", "?page=3&limit=1"] {
                let reply = try await client.send(cluster.baseURL(.streak) + "/v2/users/me/teams" + query, headers: Auth.streak())
                #expect(reply.list("results").map { $0["key"] as? String } == [company.streakTeamKey], "\(query)")
                #expect(reply.object["hasNextPage"] as? Bool == false)
            }
        }
    }

    // MARK: repeat-pages

    @Test func repeatedPagesServeTheFirstPageWhereverAsked() async throws {
        let options = simulatorOptions { $0.repeatedPages = [.proofHub, .processMaker, .procore] }
        try await withCluster(options: options, systems: [.proofHub, .processMaker, .procore]) { cluster, client in
            let people = company.records(.proofHub).accounts.compactMap { Int($0.id) }
            for query in ["?start=0&limit=10", "?start=10&limit=10", "?start=100000&limit=10"] {
                let page = try await client.send(cluster.baseURL(.proofHub) + "/people" + query, headers: Auth.proofHub()).array
                #expect(page.compactMap { int($0["id"]) } == Array(people.prefix(10)), "\(query)")
            }
            let users = company.records(.processMaker).listedAccounts.map(\.id)
            for page in [1, 2, 30] {
                let reply = try await client.send(cluster.baseURL(.processMaker) + "/users?page=\(page)&per_page=10", headers: Auth.processMaker())
                #expect(reply.list("data").map { "\($0["id"] ?? "")" } == Array(users.prefix(10)), "page \(page)")
            }
            let auth = try await Auth.procore(client, cluster)
            let active = company.records(.procore).accounts.filter { $0.expectedStatus == .active }.map(\.id)
            let url = cluster.baseURL(.procore) + "/companies/\(company.procoreCompanyID)/users"
            let first = try await client.send(url + "?page=1&per_page=25", headers: auth)
            let next = try #require(linkURL(first.header("Link"), rel: "next"))
            let second = try await client.send(next, headers: auth)
            #expect(second.body == first.body)
            #expect(second.array.map { "\($0["id"] ?? "")" } == Array(active.prefix(25)))
        }
    }

    @Test func repeatedPagesMakeCursorsAndSCIMStartOver() async throws {
        try await withCluster(options: simulatorOptions { $0.repeatedPages = [.processStreet] }, systems: [.processStreet]) { cluster, client in
            let first = try await client.send(cluster.baseURL(.processStreet) + "/users", headers: Auth.processStreet())
            let next = try #require(first.list("links").first { $0["name"] as? String == "next" }?["href"] as? String)
            let second = try await client.send(next, headers: Auth.processStreet())
            #expect(second.list("users").map { $0["id"] as? String } == first.list("users").map { $0["id"] as? String })
            // The same next link again: following links would never end.
            #expect(second.list("links").first { $0["name"] as? String == "next" }?["href"] as? String == next)
            let scim = try await client.send(cluster.processStreetSCIM + "/Users?startIndex=51&count=5", headers: Auth.processStreet())
            #expect(scim.object["startIndex"] as? Int == 1)
            #expect(scim.list("Resources").map { $0["id"] as? String ?? "" } == company.records(.processStreet).accounts.prefix(5).map { $0.scimID! })
        }
    }

    // MARK: overstate-total

    @Test func overstatedTotalsClaimOneRecordMoreThanIsListed() async throws {
        let systems: Set<SimulatedSystem> = [.processStreet, .processMaker, .procore]
        try await withCluster(options: simulatorOptions { $0.overstatedTotals = systems }, systems: systems) { cluster, client in
            let scimCount = company.records(.processStreet).accounts.count
            let scim = try await Paging.scim(client, cluster.processStreetSCIM + "/Users", count: 100, headers: Auth.processStreet())
            #expect(scim.records.count == scimCount)
            let first = try await client.send(cluster.processStreetSCIM + "/Users", headers: Auth.processStreet())
            #expect(first.object["totalResults"] as? Int == scimCount + 1)

            let pmCount = company.records(.processMaker).listedAccounts.count
            let (pm, pmTotal) = try await Paging.processMaker(client, cluster.baseURL(.processMaker) + "/users", perPage: 100, headers: Auth.processMaker())
            #expect(pmTotal == pmCount + 1)
            #expect(pm.records.count == pmCount)

            let auth = try await Auth.procore(client, cluster)
            let active = company.records(.procore).accounts.filter { $0.expectedStatus == .active }.count
            let (procore, procoreTotal) = try await Paging.procore(
                client, cluster.baseURL(.procore) + "/companies/\(company.procoreCompanyID)/users?per_page=100", headers: auth)
            #expect(procoreTotal == active + 1)
            #expect(procore.records.count == active)
        }
    }

    // MARK: the --faults vocabulary

    @Test func variantsParseFromTheFaultList() throws {
        let options = try SimulatorOptions().addingFaults("clamp-page@proofhub=7,ignore-paging@procore,pm-user-token,scim-ids-match")
        #expect(options.pageSizeLimits == [.proofHub: 7])
        #expect(options.pagingIgnored == [.procore])
        #expect(options.processMakerTokenIsAdmin == false)
        #expect(options.scimIDsMatchUsers == true)
        #expect(options.faults.isEmpty)
        #expect(options.repeatedPages.isEmpty && options.overstatedTotals.isEmpty)
        let more = try SimulatorOptions().addingFaults("repeat-pages@streak,overstate-total")
        #expect(more.repeatedPages == [.streak])
        #expect(more.overstatedTotals == Set(SimulatedSystem.allCases))
        let defaults = SimulatorOptions()
        #expect(defaults.pageSizeLimits.isEmpty && defaults.pagingIgnored.isEmpty)
        #expect(defaults.repeatedPages.isEmpty && defaults.overstatedTotals.isEmpty)
        #expect(defaults.processMakerTokenIsAdmin && !defaults.scimIDsMatchUsers)
    }

    @Test func variantsWithoutASystemApplyToEverySystem() throws {
        let options = try SimulatorOptions().addingFaults("clamp-page=12,ignore-paging")
        #expect(options.pageSizeLimits == Dictionary(uniqueKeysWithValues: SimulatedSystem.allCases.map { ($0, 12) }))
        #expect(options.pagingIgnored == Set(SimulatedSystem.allCases))
    }

    @Test(arguments: ["clamp-page", "clamp-page@proofhub", "clamp-page=0", "clamp-page=-3", "clamp-page=big", "ignore-paging@nowhere"])
    func malformedVariantsAreRejected(_ list: String) {
        #expect(throws: SimulatorError.self) { try SimulatorOptions().addingFaults(list) }
    }

    @Test func parsedVariantsChangeWhatTheServersDo() async throws {
        let options = try SimulatorOptions(rateLimits: false).addingFaults("clamp-page@proofhub=7,ignore-paging@procore,pm-user-token,scim-ids-match")
        try await withCluster(options: options, systems: [.proofHub, .procore, .processMaker, .processStreet]) { cluster, client in
            let people = try await client.send(cluster.baseURL(.proofHub) + "/people?limit=100", headers: Auth.proofHub()).array
            #expect(people.count == 7)
            let auth = try await Auth.procore(client, cluster)
            let procore = try await client.send(cluster.baseURL(.procore) + "/companies/\(company.procoreCompanyID)/users?per_page=5", headers: auth).array
            #expect(procore.count == company.records(.procore).accounts.filter { $0.expectedStatus == .active }.count)
            let owner = int(try await client.send(cluster.baseURL(.processMaker) + "/users/configuration", headers: Auth.processMaker()).object["user_id"])
            #expect(company.records(.processMaker).accounts.first { Int($0.id) == owner }?.isAdmin == false)
            let scim = try await client.send(cluster.processStreetSCIM + "/Users?count=100", headers: Auth.processStreet())
            #expect(scim.list("Resources").map { $0["id"] as? String ?? "" } == company.records(.processStreet).accounts.prefix(100).map(\.id))
            // The other systems page as documented.
            let pm = try await client.send(cluster.baseURL(.processMaker) + "/users?per_page=50", headers: Auth.processMaker())
            #expect(pm.list("data").count == 50)
        }
    }
}
