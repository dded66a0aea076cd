import Foundation
import Synchronization
import Testing

@testable import IDGraph

/// The review's stages: the rules and the outputs run at once, an output waits for the rules'
/// outcome, and the first failure cancels whatever is still running.
@Suite(.timeLimit(.minutes(1))) struct ReviewPipelineTests {
    struct Broken: Error, Equatable { var stage: String }

    /// An output that fails.
    struct FailingOutput: ReviewOutput {
        let fileName = "failing.csv"
        func write(to url: URL, input: ReviewOutputInput) async throws { throw Broken(stage: fileName) }
    }

    /// An output that waits for something no stage ever hands over, so that only cancellation
    /// ends it; it says what ended it.
    final class WaitingOutput: ReviewOutput {
        let fileName = "waiting.csv"
        let never = Handoff<Int>()
        let ended = Mutex<(any Error)?>(nil)
        func write(to url: URL, input: ReviewOutputInput) async throws {
            do {
                _ = try await never.value
            } catch {
                ended.withLock { $0 = error }
                throw error
            }
        }
    }

    /// An output that records the outcome it was handed.
    final class OutcomeOutput: ReviewOutput {
        let fileName = "outcome.csv"
        let seen = Mutex<Int64?>(nil)
        func write(to url: URL, input: ReviewOutputInput) async throws {
            let outcome = try await input.outcome.value
            seen.withLock { $0 = outcome.reviewRunID }
        }
    }

    func input() throws -> ReviewOutputInput {
        ReviewOutputInput(
            reader: try GraphStore.inMemory().reader,
            configuration: Configuration(file: URL(fileURLWithPath: "/tmp/idgraph-test.yaml"), sources: []),
            now: GraphFixture.asOf, compact: false, campaign: nil,
            accountsBlock: URL(fileURLWithPath: "/nonexistent/block"))
    }

    static func outcome(_ id: Int64) -> ReviewOutcome {
        ReviewOutcome(
            reviewRunID: id, asOf: GraphFixture.asOf, rules: [], findings: [], diagnostics: [], ruleErrors: [],
            ruleRuns: [])
    }

    @Test func everyOutputGetsTheRulesOutcomeAndTheStagesAreTimedInOrder() async throws {
        let first = OutcomeOutput()
        let second = OutcomeOutput()
        let pipeline = ReviewPipeline(outputs: [first, second])
        let (outcome, stages) = try await pipeline.run(
            try input(), rules: { _ in Self.outcome(42) }, url: { URL(fileURLWithPath: "/nonexistent/\($0.fileName)") })
        #expect(outcome.reviewRunID == 42)
        #expect(first.seen.withLock { $0 } == 42)
        #expect(second.seen.withLock { $0 } == 42)
        #expect(stages.map(\.name) == ["rules (stored)", "outcome.csv", "outcome.csv"])
    }

    /// An output that records the outcome it was handed and says so through `started`.
    final class SignallingOutput: ReviewOutput {
        let fileName = "signalling.csv"
        let started = Handoff<Int64>()
        func write(to url: URL, input: ReviewOutputInput) async throws {
            started.settle(.success(try await input.outcome.value.reviewRunID))
        }
    }

    @Test func outputsStartOnTheFindingsHandedOverWhileTheRulesStillStoreThem() async throws {
        let output = SignallingOutput()
        let pipeline = ReviewPipeline(outputs: [output])
        // The rules hand their outcome over, then return only once the output has started on it:
        // were the outputs held back until the rules returned, this would never end.
        let (outcome, _) = try await pipeline.run(
            try input(),
            rules: { found in
                found(Self.outcome(5))
                let started = try await output.started.value
                #expect(started == 5)
                return Self.outcome(5)
            },
            url: { URL(fileURLWithPath: "/nonexistent/\($0.fileName)") })
        #expect(outcome.reviewRunID == 5)
    }

    @Test func aFailingOutputCancelsTheOthersAfterTheRulesHaveRun() async throws {
        let waiting = WaitingOutput()
        let rulesRan = Mutex(false)
        let pipeline = ReviewPipeline(outputs: [waiting, FailingOutput()])
        do {
            _ = try await pipeline.run(
                try input(), rules: { _ in rulesRan.withLock { $0 = true }; return Self.outcome(7) },
                url: { URL(fileURLWithPath: "/nonexistent/\($0.fileName)") })
            Issue.record("the pipeline succeeded")
        } catch let error as ReviewPipeline.Failure {
            guard case .output(let file, let cause, let outcome) = error else {
                Issue.record("not an output's failure: \(error)")
                return
            }
            #expect(file == "failing.csv")
            #expect(cause as? Broken == Broken(stage: "failing.csv"))
            // The rules ran to the end, so the review they stored can be recorded failed.
            #expect(outcome.reviewRunID == 7)
        }
        #expect(rulesRan.withLock { $0 })
        // The pipeline returned only after the waiting output had ended, by cancellation.
        #expect(waiting.ended.withLock { $0 } is CancellationError)
    }

    @Test func failingRulesCancelTheOutputsWaitingForThem() async throws {
        let waiting = OutcomeOutput()
        let unrelated = WaitingOutput()
        let pipeline = ReviewPipeline(outputs: [waiting, unrelated])
        do {
            _ = try await pipeline.run(
                try input(), rules: { _ in throw Broken(stage: "rules") },
                url: { URL(fileURLWithPath: "/nonexistent/\($0.fileName)") })
            Issue.record("the pipeline succeeded")
        } catch let error as ReviewPipeline.Failure {
            guard case .rules(let cause) = error else {
                Issue.record("not the rules' failure: \(error)")
                return
            }
            #expect(cause as? Broken == Broken(stage: "rules"))
        }
        #expect(waiting.seen.withLock { $0 } == nil)
        #expect(unrelated.ended.withLock { $0 } is CancellationError)
    }

    @Test func aHandoffReachesEveryWaiterAndThoseWhoComeLater() async throws {
        let handoff = Handoff<String>()
        async let first = handoff.value
        async let second = handoff.value
        handoff.settle(.success("ready"))
        handoff.settle(.success("ignored"))
        #expect(try await first == "ready")
        #expect(try await second == "ready")
        #expect(try await handoff.value == "ready")
    }

    @Test func aHandoffHandsOverAFailure() async {
        let handoff = Handoff<String>()
        handoff.settle(.failure(Broken(stage: "x")))
        await #expect(throws: Broken(stage: "x")) { try await handoff.value }
    }

    @Test func aCancelledWaiterStopsWaiting() async throws {
        let handoff = Handoff<String>()
        let waiter = Task { try await handoff.value }
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        // The handoff itself is untouched: a later waiter still gets the value.
        handoff.settle(.success("ready"))
        #expect(try await handoff.value == "ready")
    }
}
