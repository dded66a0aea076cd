import AsyncHTTPClient

/// Builds the collector of each configured source from its kind's ``SourceDescriptor``.
public enum Collectors {
    /// Makes the collectors for `sources` and runs `body` with them.
    ///
    /// The SaaS collectors share one `HTTPClient`, created here and shut down
    /// when `body` returns or throws.
    public static func withCollectors<Result: Sendable>(
        for sources: [SourceConfiguration], configuration: Configuration, retryPolicy: RetryPolicy = .standard,
        allowEmptyRoster: Bool = false, _ body: ([(SourceConfiguration, any Collector)]) async throws -> Result
    ) async throws -> Result {
        try await withHTTPClient(for: sources) { client in
            let context = CollectorContext(
                configuration: configuration, http: client, policy: retryPolicy, allowEmptyRoster: allowEmptyRoster)
            var collectors: [(SourceConfiguration, any Collector)] = []
            for source in sources {
                guard let descriptor = source.descriptor else {
                    throw CollectionError(
                        source: source.name, message: "The kind '\(source.kind)' is not one idgraph knows. Use one of: \(SourceRegistry.kindList).")
                }
                collectors.append((source, descriptor.makeCollector(source, context)))
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
}
