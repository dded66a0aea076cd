import Foundation
import GRDB
import IDGraphSimulator
import Testing

@testable import IDGraph

/// Rate limits are survived with complete data; where the API tells the
/// budget (ProofHub, Procore), the collector waits before it runs out instead
/// of after a 429.
@Suite struct CollectorRateLimitTests {
    /// A short window, so that a small company meets the limit several times.
    static func tight(_ requests: Int, per seconds: Double = 1) -> SimulatorOptions {
        SimulatorOptions(
            rateLimits: true,
            rateLimitOverrides: Dictionary(
                uniqueKeysWithValues: SimulatedSystem.allCases.map { ($0, RateLimit(requests: requests, windowSeconds: seconds)) }))
    }

    @Test(arguments: SimulatedSystem.allCases)
    func limitIsSurvivedWithCompleteData(system: SimulatedSystem) async throws {
        // Procore announces its budget, so its collector waits as soon as the budget runs out, however
        // slow the machine. The others announce no reset (or nothing): only requests that come closer
        // together than the window meet the limit, so their window is one request per four seconds,
        // longer than any request takes on a busy machine. Streak sends three requests in all (whose key
        // it is, the teams, the team's users), each only after the one before has been answered: its
        // window is one per ten seconds, so that even a machine loaded by several builds sends the second
        // inside it, and the third meets the window again; its bare 429s are retried
        // with pauses of up to four seconds, which find the window's end within the nine retries
        // a source may make.
        let options: SimulatorOptions
        switch system {
        case .procore: options = Self.tight(2, per: 1.5)
        // Streak and Process Street send their few requests one after the other (Process Street
        // follows a cursor), each only after the one before was answered: one per ten seconds, so
        // that even a machine loaded by several builds sends the next inside the window.
        case .streak, .processStreet: options = Self.tight(1, per: 10)
        // ProcessMaker reads each user's tokens too (some forty requests): five per two seconds meet
        // the limit many times without making the test minutes long.
        case .processMaker: options = Self.tight(5, per: 2)
        default: options = Self.tight(1, per: 4)
        }
        try await SimulatedCollection.with(options: options, systems: [system]) { sim in
            var policy = SimulatedCollection.quickRetries
            if system == .streak || system == .processStreet { (policy.rateLimitBaseDelay, policy.rateLimitMaxDelay) = (0.5, 4) }
            let report = try await sim.collect([system], retryPolicy: policy)
            #expect(report.exitStatus == .success, "\(report.outcomes.map { $0.error ?? $0.summary })")
            try await CollectorCompletenessTests().expectStored(sim, system)
            let stats = sim.cluster.stats(system)
            let minimum = MinimumRequests.of(system, sim.company.records(system))
            #expect(stats.requests == minimum + stats.rateLimited)
            let run = try #require(try sim.sourceRun(system))
            // Every system waited: before running out where the API announces its budget, after a 429 elsewhere.
            #expect((run["waits"] as Int) > 0 || stats.rateLimited > 0)
            #expect(sim.events.all.contains { event in
                switch event {
                case .waiting: true
                case .retrying(_, _, _, let reason): reason.contains("429")
                default: false
                }
            })
            switch system {
            case .procore:
                // Remaining and reset on every response: the collector waits before it runs out. With
                // project listings in flight together, a response can arrive after a later one and
                // report a budget already spent, so a busy machine may see one 429, never a run of them.
                #expect(stats.rateLimited <= 1)
                #expect((run["wait_seconds"] as Double) > 0)
            case .proofHub:
                // ProofHub documents only Retry-After on a 429: the first refusals teach the window.
                #expect(stats.rateLimited <= 5)
            case .processMaker:
                // Remaining on every response but the reset only on a 429: one per window at most.
                #expect(stats.rateLimited <= minimum / 2 + 1)
            case .processStreet:
                // Only a 429's Retry-After tells the limit: the first burst (up to
                // max_concurrency requests in flight) may meet it; then the collector paces itself.
                #expect(stats.rateLimited <= 5)
            case .streak:
                // A bare 429: pauses of 0.25–0.5, 0.5–1, 1–2, then 2–4 s find the end of a ten-second
                // window within eight tries, even when every pause is the shortest: eight for each of the
                // two requests after the first.
                #expect(stats.rateLimited <= 16)
            }
        }
    }

    @Test func aWaitLongerThanTheMaximumFailsTheSourceClearly() async throws {
        try await SimulatedCollection.with(
            options: Self.tight(3, per: 60), adjust: { $0.maxWaitSeconds = 1 }
        ) { sim in
            // Procore announces its budget: the wait is known before any request is refused.
            let report = try await sim.collect([.procore])
            #expect(report.exitStatus == .failure)
            let error = try #require(report.outcomes.first?.error)
            #expect(error.contains("procore"))
            #expect(error.contains("max_wait_seconds"))
            #expect(error.contains("/rest/v1.0/"))
            #expect(sim.cluster.stats(.procore).rateLimited == 0)
        }
    }

    /// Sources are collected concurrently: five sources each limited to one
    /// window's worth take about as long as one of them, not five.
    @Test func sourcesRunConcurrently() async throws {
        try await SimulatedCollection.with(options: Self.tight(40, per: 1)) { sim in
            let report = try await sim.collect(SimulatedSystem.allCases)
            #expect(report.exitStatus == .success)
            #expect(report.outcomes.count == 5)
            // In turn, no source would start before the one before it had finished: here every
            // source has started before the first one finishes (the order of the progress events,
            // which no machine load can change, unlike a comparison of durations).
            let events = sim.events.all
            let lastStart = try #require(events.lastIndex { if case .started = $0 { true } else { false } })
            let firstFinish = try #require(events.firstIndex { if case .finished = $0 { true } else { false } })
            #expect(events.filter { if case .started = $0 { true } else { false } }.count == 5)
            #expect(lastStart < firstFinish)
        }
    }
}
