import AsyncHTTPClient
import Synchronization

/// What one source's check runs with: the source, the check's one HTTP client and retry policy
/// (``CollectorContext``), and a sink that counts the requests and reports progress but stores nothing.
struct SourceProbe: Sendable {
    /// The configured source, with the check's shorter timeouts.
    var source: SourceConfiguration
    /// The HTTP client and retry policy.
    var context: CollectorContext
    /// Counts requests and reports retries and waits; refuses records.
    var sink: SourceSink
}

/// The lines a check has found so far, kept when a later request fails.
final class CheckLog: Sendable {
    private let lines = Mutex<[CheckLine]>([])

    /// Records that something works.
    func ok(_ text: String) { add(.ok(text)) }
    /// Records something a collect survives but the user should know.
    func warn(_ text: String) { add(.warning(text)) }
    /// Records something that would fail a collect.
    func fail(_ text: String) { add(.failed(text)) }
    /// Records a line.
    func add(_ line: CheckLine) { lines.withLock { $0.append(line) } }

    /// Every line, in the order found.
    var all: [CheckLine] { lines.withLock { $0 } }
}

extension SaaSCollector {
    /// Checks a source of this kind: ``probe(with:into:)`` over an API client built as a collect
    /// builds it (credentials, fixed headers, rate limit, retries); a request that fails ends the
    /// check with a failed line that says what to check.
    static func check(_ probe: SourceProbe) async -> [CheckLine] {
        let collector = Self(source: probe.source, http: probe.context.http, policy: probe.context.policy)
        let log = CheckLog()
        do {
            let api = try APIClient(
                source: probe.source, sink: probe.sink, http: probe.context.http, policy: probe.context.policy,
                headers: collector.requestHeaders)
            try await collector.probe(with: api, into: log)
        } catch {
            log.add(CheckAdvice.line(for: error, source: probe.source))
        }
        return log.all
    }
}
