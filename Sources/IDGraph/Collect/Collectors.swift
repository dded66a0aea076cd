import AsyncHTTPClient

/// Builds the collector of each source kind.
public enum Collectors {
    /// Makes the collectors for `sources` and runs `body` with them.
    ///
    /// The SaaS collectors share one `HTTPClient`, created here and shut down
    /// when `body` returns or throws.
    public static func withCollectors<Result: Sendable>(
        for sources: [SourceConfiguration], configuration: Configuration, retryPolicy: RetryPolicy = .standard,
        _ body: ([(SourceConfiguration, any Collector)]) async throws -> Result
    ) async throws -> Result {
        try await withHTTPClient(for: sources) { client in
            let collectors: [(SourceConfiguration, any Collector)] = sources.map { source in
                (source, collector(for: source, configuration: configuration, http: client, policy: retryPolicy))
            }
            return try await body(collectors)
        }
    }

    /// Runs `body` with the one HTTP client of a run, shut down when `body`
    /// returns or throws.
    static func withHTTPClient<Result: Sendable>(
        for sources: [SourceConfiguration], _ body: (HTTPClient) async throws -> Result
    ) async throws -> Result {
        var http = HTTPClient.Configuration()
        http.redirectConfiguration = .disallow
        let timeout = sources.map(\.requestTimeoutSeconds).max() ?? 60
        http.timeout = .init(connect: .milliseconds(Int64(min(timeout, 10) * 1000)), read: .milliseconds(Int64(timeout * 1000)))
        http.connectionPool = .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 16)
        // A refused connection fails the request at once; APIClient retries it
        // with its own backoff, counted and shown like every other retry.
        http.connectionPool.retryConnectionEstablishment = false
        return try await HTTPClient.withHTTPClient(configuration: http, body)
    }

    private static func collector(
        for source: SourceConfiguration, configuration: Configuration, http: HTTPClient, policy: RetryPolicy
    ) -> any Collector {
        switch source.kind {
        case .roster: RosterCollector(source: source, canonicalizer: configuration.canonicalizer)
        case .processStreet: ProcessStreetCollector(source: source, http: http, policy: policy)
        case .proofHub: ProofHubCollector(source: source, http: http, policy: policy)
        case .streak: StreakCollector(source: source, http: http, policy: policy)
        case .processMaker: ProcessMakerCollector(source: source, http: http, policy: policy)
        case .procore: ProcoreCollector(source: source, http: http, policy: policy)
        }
    }
}
