import Foundation

/// A review as named stages: the rules, whose outcome the outputs await, and the outputs, each
/// written to its own file.
///
/// Everything starts at once in one task group: the outputs that do not need the findings
/// (`accounts.csv`, the page's summary of the sources) are written while the rules run, and the
/// ones that do start as soon as the rules hand their findings over (`found`), while the findings
/// are being stored. The
/// rules run to the end whatever an output does, so that a review they stored is always
/// recorded, `ok` or `failed`. A failing stage cancels the others, and the group waits for every
/// one of them, so no file is left being written behind an error.
struct ReviewPipeline: Sendable {
    /// The files of a review, in the order they are published.
    static let outputs: [any ReviewOutput] = [FindingsCSVOutput(), AccountsCSVOutput(), AccessReviewPageOutput()]

    /// One stage's time.
    struct Stage: Sendable {
        var name: String
        var seconds: Double
    }

    /// Why the pipeline stopped.
    enum Failure: Error {
        /// The rules failed: nothing was stored, no output finished.
        case rules(any Error)
        /// An output failed after the rules had run and stored `outcome`.
        case output(file: String, any Error, outcome: ReviewOutcome)
    }

    /// The outputs to write.
    var outputs: [any ReviewOutput] = Self.outputs

    /// Runs `rules` alongside the outputs, writing each output to `url(output)`; returns the
    /// rules' outcome and the time of each stage: the rules first, then each output in list order.
    ///
    /// `rules` may pass its outcome to the callback it is given before it returns (once the
    /// findings are final but still being stored); the outputs then start on it. The outcome it
    /// returns is the one the pipeline returns.
    func run(
        _ input: ReviewOutputInput,
        rules: @Sendable (_ found: @escaping @Sendable (ReviewOutcome) -> Void) async throws -> ReviewOutcome,
        url: @escaping @Sendable (any ReviewOutput) -> URL
    ) async throws(Failure) -> (outcome: ReviewOutcome, stages: [Stage]) {
        let clock = ContinuousClock()
        do {
            return try await withThrowingTaskGroup(of: (Int, Stage).self) { group in
                for (index, output) in outputs.enumerated() {
                    group.addTask {
                        let start = clock.now
                        do {
                            try await output.write(to: url(output), input: input)
                        } catch {
                            throw Failure.output(file: output.fileName, error, outcome: try await input.outcome.value)
                        }
                        return (index, Stage(name: output.fileName, seconds: (clock.now - start).seconds))
                    }
                }
                // The rules run on this task, alongside the outputs.
                let start = clock.now
                let outcome: ReviewOutcome
                do {
                    outcome = try await rules { input.outcome.settle(.success($0)) }
                } catch {
                    input.outcome.settle(.failure(CancellationError()))
                    group.cancelAll()
                    throw Failure.rules(error)
                }
                input.outcome.settle(.success(outcome))
                let rulesStage = Stage(name: "rules (stored)", seconds: (clock.now - start).seconds)
                var stages = [Stage?](repeating: nil, count: outputs.count)
                for try await (index, stage) in group {
                    stages[index] = stage
                }
                return (outcome, [rulesStage] + stages.compactMap { $0 })
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            // Every stage throws a Failure; a waiting output's CancellationError is never the first.
            throw .rules(error)
        }
    }
}
