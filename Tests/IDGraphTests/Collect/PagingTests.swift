import Foundation
import IDGraphSimulator
import Testing

@testable import IDGraph

/// The shared pager against every simulated vendor in the unfriendly variants a real tenant may show
/// (docs/sources.md, "Paging"): whatever the server does with page sizes, a collect stores every record
/// or fails naming the source and path, never a quietly partial list.
@Suite struct PagingTests {
    /// A server that serves fewer records than asked for, silently.
    @Test(arguments: SimulatedSystem.allCases)
    func aClampedPageSizeLosesNothing(system: SimulatedSystem) async throws {
        var options = SimulatorOptions(rateLimits: false)
        options.pageSizeLimits[system] = 7
        try await SimulatedCollection.with(options: options, systems: [system]) { sim in
            let report = try await sim.collect([system])
            #expect(report.exitStatus == .success, "\(report.outcomes.map { $0.error ?? $0.summary })")
            try await CollectorCompletenessTests().expectStored(sim, system)
            // Smaller pages cost more requests (Streak lists the one team of the company in one page either way).
            let minimum = MinimumRequests.of(system, sim.company.records(system))
            #expect(sim.cluster.stats(system).requests > minimum || (system == .streak && sim.cluster.stats(system).requests == minimum))
        }
    }

    /// A list whose length is an exact multiple of the served page size: the last full page is not taken
    /// for a short one, nor is one more page than needed read where the API says it ended.
    @Test(arguments: SimulatedSystem.allCases)
    func anExactMultipleOfThePageSizeLosesNothing(system: SimulatedSystem) async throws {
        let company = Company.generate(size: 60, seed: 11, asOf: Date(timeIntervalSince1970: 1_750_000_000))
        let records = company.records(system)
        // The main account list: Process Street's v1.1 and Procore's company list hold active users only.
        let listed = system == .processStreet || system == .procore
            ? records.accounts.filter { $0.expectedStatus == .active }.count : records.listedAccounts.count
        // The largest divisor below the length (the length itself when it is prime: one exactly full page).
        let size = (2..<listed).last { listed % $0 == 0 } ?? listed
        var options = SimulatorOptions(rateLimits: false)
        options.pageSizeLimits[system] = size
        try await SimulatedCollection.with(options: options, systems: [system]) { sim in
            let report = try await sim.collect([system])
            #expect(report.exitStatus == .success, "\(report.outcomes.map { $0.error ?? $0.summary })")
            try await CollectorCompletenessTests().expectStored(sim, system)
        }
    }

    /// A server that ignores the paging parameters and sends every record at once.
    @Test(arguments: SimulatedSystem.allCases)
    func aServerThatIgnoresPagingIsReadWhole(system: SimulatedSystem) async throws {
        var options = SimulatorOptions(rateLimits: false)
        options.pagingIgnored = [system]
        try await SimulatedCollection.with(options: options, systems: [system]) { sim in
            let report = try await sim.collect([system])
            #expect(report.exitStatus == .success, "\(report.outcomes.map { $0.error ?? $0.summary })")
            try await CollectorCompletenessTests().expectStored(sim, system)
        }
    }

    /// A server that serves the first page for every page asked for: an error naming the source and
    /// path, after a bounded number of requests, with nothing stored. (ProofHub, whose paging is
    /// undocumented, is asked for pages of 100: a full first page served again is an error, while a
    /// shorter one served again is taken as a server that sent the whole list at once.)
    @Test(arguments: [SimulatedSystem.processStreet, .proofHub, .processMaker, .procore])
    func aServerThatRepeatsPagesFails(system: SimulatedSystem) async throws {
        var options = SimulatorOptions(rateLimits: false)
        options.repeatedPages = [system]
        if system != .proofHub { options.pageSizeLimits[system] = 5 }
        try await SimulatedCollection.with(size: system == .proofHub ? 250 : 60, options: options, systems: [system]) { sim in
            let report = try await sim.collect([system])
            #expect(report.exitStatus == .failure)
            let error = try #require(report.outcomes.first?.error)
            #expect(error.contains("source '\(system.sourceName)'"))
            #expect(error.contains("same page again"), "\(error)")
            #expect(error.contains(system.basePath) || error.contains("/api/scim"), "\(error)")
            #expect(try sim.rows("accounts", system).isEmpty)
            #expect(sim.cluster.stats(system).requests < 200)
        }
    }

    /// A listing that ends with fewer records than the API's own total fails instead of storing a short list.
    @Test(arguments: [SimulatedSystem.processStreet, .processMaker, .procore])
    func fewerRecordsThanTheReportedTotalFails(system: SimulatedSystem) async throws {
        var options = SimulatorOptions(rateLimits: false)
        options.overstatedTotals = [system]
        try await SimulatedCollection.with(options: options, systems: [system]) { sim in
            let report = try await sim.collect([system])
            #expect(report.exitStatus == .failure)
            let error = try #require(report.outcomes.first?.error)
            #expect(error.contains("reported"), "\(error)")
            #expect(error.contains("stores no partial list"), "\(error)")
            #expect(try sim.rows("accounts", system).isEmpty)
        }
    }

    /// Streak's team users endpoint takes no paging parameters: a response that says more follow fails.
    @Test func anUnpagedListThatSaysMoreFollowFails() async throws {
        try await SimulatedCollection.with(systems: [.streak]) { sim in
            let source = try #require(sim.configuration.source(named: "streak"))
            let snapshot = try await sim.store.beginSnapshot()
            let run = try await sim.store.beginSourceRun(snapshot: snapshot, source: "streak", kind: .streak)
            let sink = SourceSink(
                source: source, store: sim.store, run: run, canonicalizer: sim.configuration.canonicalizer,
                progress: .silent)
            try await Collectors.withHTTPClient(for: [source]) { http in
                let api = try APIClient(source: source, sink: sink, http: http, policy: SimulatedCollection.quickRetries)
                // The teams list of a company with one team, asked one team at a time, says hasNextPage: false.
                let teams = Listing(path: "/v2/users/me/teams", style: .none, records: "results")
                try await api.forEachPage(teams) { records in #expect(records.count == 1) }
            }
            #expect(sim.cluster.stats(.streak).requests == 1)
        }
    }

    /// Credentials never leave the source's own origin: a next link to another host is refused.
    @Test func aNextLinkToAnotherHostIsNotFollowed() async throws {
        try await SimulatedCollection.with(systems: [.processStreet]) { sim in
            let source = try #require(sim.configuration.source(named: "process-street"))
            let snapshot = try await sim.store.beginSnapshot()
            let run = try await sim.store.beginSourceRun(snapshot: snapshot, source: "process-street", kind: .processStreet)
            let sink = SourceSink(
                source: source, store: sim.store, run: run, canonicalizer: sim.configuration.canonicalizer, progress: .silent)
            try await Collectors.withHTTPClient(for: [source]) { http in
                let api = try APIClient(source: source, sink: sink, http: http, policy: SimulatedCollection.quickRetries)
                let error = await #expect(throws: CollectionError.self) {
                    _ = try await api.get(link: "http://127.0.0.2:9/api/v1.1/users?_=x", of: "/users", reading: JSONValue.parse)
                }
                #expect(error?.message.contains("another host") == true)
            }
            #expect(sim.cluster.stats(.processStreet).requests == 0)
        }
    }
}

/// A listing larger than the source's `max_records` fails instead of holding a collect forever.
@Suite struct MaxRecordsTests {
    @Test(arguments: SimulatedSystem.allCases)
    func aListingBeyondMaxRecordsFails(system: SimulatedSystem) async throws {
        try await SimulatedCollection.with(systems: [system], adjust: { $0.maxRecords = 10 }) { sim in
            let report = try await sim.collect([system])
            #expect(report.exitStatus == .failure)
            let error = try #require(report.outcomes.first?.error)
            #expect(error.contains("more than 10 records") || error.contains("more than max_records (10)"), "\(error)")
            #expect(error.contains("max_records"))
            #expect(try sim.rows("accounts", system).isEmpty)
        }
    }
}
