import AsyncHTTPClient

/// The collector of a SaaS source: what makes one system different from the
/// others (its endpoints, page styles and how its JSON becomes accounts,
/// containers and memberships).
///
/// A new source is one type conforming to this protocol, with its
/// ``SourceDescriptor`` (plus one line in ``SourceRegistry``); auth, paging,
/// rate limits and retries come from the ``APIClient`` that ``collect(into:)``
/// builds over the run's shared HTTP client.
protocol SaaSCollector: Collector {
    /// The configured source.
    var source: SourceConfiguration { get }
    /// The run's one HTTP client.
    var http: HTTPClient { get }
    /// How requests are retried.
    var policy: RetryPolicy { get }
    /// Creates the collector.
    init(source: SourceConfiguration, http: HTTPClient, policy: RetryPolicy)
    /// Headers every request carries besides the credentials (Procore's company id).
    var requestHeaders: [(String, String)] { get }
    /// Collects everything through `api` into `sink`, page by page.
    func collect(with api: APIClient, into sink: SourceSink) async throws
    /// One or two cheap requests through `api` that show whether the credentials work and what they
    /// can see, written to `log` (`idgraph check`); a request that fails is thrown, and becomes advice.
    func probe(with api: APIClient, into log: CheckLog) async throws
}

extension SaaSCollector {
    var requestHeaders: [(String, String)] { [] }

    func collect(into sink: SourceSink) async throws {
        let api = try APIClient(source: source, sink: sink, http: http, policy: policy, headers: requestHeaders)
        try await collect(with: api, into: sink)
    }

    /// Builds the collector for a descriptor's `makeCollector`.
    static func make(_ source: SourceConfiguration, _ context: CollectorContext) -> any Collector {
        Self(source: source, http: context.http, policy: context.policy)
    }
}

/// One record of a container's member listing.
enum MemberRecord: Sendable {
    /// An account's direct membership.
    case account(Membership)
    /// A container nested in the listed one (a ProcessMaker group in a group).
    case container(ContainerEdge)
}

extension APIClient {
    /// Lists accounts page by page, mapping each record with `account`; a
    /// record that maps to `nil` (no id) is skipped with a warning. The listing
    /// is the source's population (`source_runs.listed`, `reported_total`).
    func collectAccounts(
        _ listing: Listing, into sink: SourceSink, _ account: @escaping @Sendable (JSONValue) -> Account?
    ) async throws {
        let shown = displayPath(listing.path)
        let summary = try await forEachPage(listing) { records in
            let accounts = records.compactMap(account)
            await Self.warnSkipped(records.count - accounts.count, "accounts", at: shown, sink: sink)
            if !accounts.isEmpty { try await sink.add(accounts) }
        }
        await sink.listedPopulation(summary)
    }

    /// Lists containers, then each container's member listings,
    /// `max_concurrency` listings at once (the rate limiter paces them together).
    func collectContainers(
        _ listing: Listing, into sink: SourceSink,
        container: @escaping @Sendable (JSONValue) -> Container?,
        members: @escaping @Sendable (Container) -> [Listing],
        member: @escaping @Sendable (JSONValue, Container) -> MemberRecord?
    ) async throws {
        let found = ContainerList()
        try await collectContainers(listing, into: sink, container: container) { containers in
            await found.append(containers)
        }
        let listings = await found.all.flatMap { container in members(container).map { (container, $0) } }
        try await forEachConcurrently(listings, limit: source.maxConcurrency) { container, listing in
            try await collectMembers(of: container, listing: listing, into: sink, member)
        }
    }

    /// Lists containers page by page, storing each page and handing it to `found`.
    func collectContainers(
        _ listing: Listing, into sink: SourceSink,
        container: @escaping @Sendable (JSONValue) -> Container?,
        found: @escaping @Sendable ([Container]) async throws -> Void = { _ in }
    ) async throws {
        let shown = displayPath(listing.path)
        try await forEachPage(listing) { records in
            let containers = records.compactMap(container)
            await Self.warnSkipped(records.count - containers.count, "containers", at: shown, sink: sink)
            if !containers.isEmpty { try await sink.add(containers) }
            try await found(containers)
        }
    }

    /// Lists the members of one container.
    func collectMembers(
        of container: Container, listing: Listing, into sink: SourceSink,
        _ member: @escaping @Sendable (JSONValue, Container) -> MemberRecord?
    ) async throws {
        let shown = displayPath(listing.path)
        try await forEachPage(listing) { records in
            try await Self.store(records.map { member($0, container) }, of: records.count, at: shown, sink: sink)
        }
    }

    /// Stores mapped member records; those that mapped to `nil` are counted in a warning.
    static func store(_ mapped: [MemberRecord?], of count: Int, at shown: String, sink: SourceSink) async throws {
        var memberships: [Membership] = []
        var edges: [ContainerEdge] = []
        for record in mapped {
            switch record {
            case .account(let membership): memberships.append(membership)
            case .container(let edge): edges.append(edge)
            case nil: break
            }
        }
        await warnSkipped(count - memberships.count - edges.count, "members", at: shown, sink: sink)
        if !memberships.isEmpty { try await sink.add(memberships) }
        if !edges.isEmpty { try await sink.add(edges) }
    }

    /// Stores a page of credentials, warning of records that could not be read.
    static func store(_ mapped: [Credential?], of count: Int, at shown: String, sink: SourceSink) async throws {
        let credentials = mapped.compactMap { $0 }
        await warnSkipped(count - credentials.count, "tokens", at: shown, sink: sink)
        if !credentials.isEmpty { try await sink.add(credentials) }
    }

    static func warnSkipped(_ count: Int, _ what: String, at path: String, sink: SourceSink) async {
        guard count > 0 else { return }
        await sink.warn(.recordsSkipped, "\(count) \(what) at \(path) had no id, or named a record the source does not list, and were skipped.")
    }
}

/// The containers found so far, for the member listings that follow; a
/// container listed twice (a listing read again) is kept once.
private actor ContainerList {
    private(set) var all: [Container] = []
    private var ids: Set<String> = []
    func append(_ containers: [Container]) {
        for container in containers where ids.insert(container.containerID).inserted { all.append(container) }
    }
}
