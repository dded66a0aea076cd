import Foundation
import IDGraphSimulator
import Testing

@testable import IDGraph

/// The shared pager against a real simulated endpoint.
@Suite struct PagingTests {
    /// Streak's user list is not paged: asking for pages of ten gets the whole
    /// list each time, which the pager must notice instead of looping.
    @Test func anEndpointThatIgnoresPagingIsAnErrorNotALoop() async throws {
        try await SimulatedCollection.with(systems: [.streak]) { sim in
            let source = try #require(sim.configuration.source(named: "streak"))
            let snapshot = try await sim.store.beginSnapshot()
            let run = try await sim.store.beginSourceRun(snapshot: snapshot, source: "streak", kind: .streak)
            let sink = SourceSink(
                source: source, store: sim.store, run: run, canonicalizer: sim.configuration.canonicalizer,
                progress: .silent)
            try await Collectors.withHTTPClient(for: [source]) { http in
                let api = try APIClient(source: source, sink: sink, http: http, policy: SimulatedCollection.quickRetries)
                let listing = Listing(
                    path: "/organizations/\(sim.company.streakOrgKey)/users", style: .page(pageSize: 10))
                await #expect(throws: CollectionError.self) {
                    try await api.forEachPage(listing) { _ in }
                }
            }
            #expect(sim.cluster.stats(.streak).requests == 2)
        }
    }
}
