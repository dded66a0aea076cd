import Foundation

/// `idgraph check`: a few cheap authenticated requests per source, all sources at once, over the
/// HTTP stack a collect uses (credentials, rate limits, retries, redaction), with no database.
public struct CheckRun: Sendable {
    /// The configuration.
    public var configuration: Configuration
    /// Where retries and rate-limit waits are reported.
    public var progress: ProgressSink
    /// How requests are retried: fewer and quicker than a collect's, since a check only asks.
    public var retryPolicy = RetryPolicy.check
    /// The longest a check waits for one response, or on one rate limit, whatever a source allows a collect.
    public static let patienceSeconds = 30.0

    /// Creates a check of `configuration`.
    public init(configuration: Configuration, progress: ProgressSink = .silent) {
        self.configuration = configuration
        self.progress = progress
    }

    /// Checks the sources `names` selects (all when empty), concurrently; the results are in the
    /// configuration's order.
    public func run(sources names: [String] = []) async throws -> CheckReport {
        let sources = try configuration.sources(named: names).map { source in
            var source = source
            source.requestTimeoutSeconds = min(source.requestTimeoutSeconds, Self.patienceSeconds)
            source.maxWaitSeconds = min(source.maxWaitSeconds, Self.patienceSeconds)
            return source
        }
        let checks = try await Collectors.withHTTPClient(for: sources) { http in
            let context = CollectorContext(configuration: configuration, http: http, policy: retryPolicy)
            return await withTaskGroup(of: SourceCheck.self) { group in
                for source in sources {
                    group.addTask { await check(source, context: context) }
                }
                var checks: [SourceCheck] = []
                for await check in group { checks.append(check) }
                return checks
            }
        }
        return CheckReport(checks: sources.compactMap { source in checks.first { $0.source == source.name } })
    }

    private func check(_ source: SourceConfiguration, context: CollectorContext) async -> SourceCheck {
        let started = ContinuousClock.now
        let sink = SourceSink(checking: source, progress: progress)
        let lines: [CheckLine]
        if let descriptor = source.descriptor {
            lines = await descriptor.check(SourceProbe(source: source, context: context, sink: sink))
        } else {
            lines = [.failed("The kind '\(source.kind)' is not one idgraph knows. Use one of: \(SourceRegistry.kindList).")]
        }
        return SourceCheck(
            source: source.name, kind: source.kind, lines: lines, requests: await sink.stats.requests,
            seconds: (ContinuousClock.now - started).seconds)
    }
}

extension RetryPolicy {
    /// The policy of `idgraph check`: one retry, soon, so a check of an unreachable service ends quickly.
    public static let check = RetryPolicy(maxAttempts: 2, baseDelay: 0.25, maxDelay: 1, rateLimitBaseDelay: 1, rateLimitMaxDelay: 10)
}
