/// Builds the collector of each source kind.
public enum Collectors {
    /// Makes the collectors for `sources` and runs `body` with them.
    public static func withCollectors<Result: Sendable>(
        for sources: [SourceConfiguration], configuration: Configuration,
        _ body: ([(SourceConfiguration, any Collector)]) async throws -> Result
    ) async throws -> Result {
        let collectors: [(SourceConfiguration, any Collector)] = sources.map { source in
            switch source.kind {
            case .roster:
                (source, RosterCollector(source: source, canonicalizer: configuration.canonicalizer))
            case .processStreet, .proofHub, .streak, .processMaker, .procore:
                (source, UnavailableCollector(source: source))
            }
        }
        return try await body(collectors)
    }
}

/// Stands for an API kind whose collector this build does not include.
struct UnavailableCollector: Collector {
    var source: SourceConfiguration

    func collect(into sink: SourceSink) async throws {
        throw CollectionError(
            source: source.name,
            message: "collecting \(source.kind.displayName) is not available in this build of idgraph.")
    }
}
