import AsyncHTTPClient

/// The collector of a SaaS source: what makes one system different from the
/// others (its endpoints, page styles and how its JSON becomes accounts,
/// containers and memberships).
///
/// A new source is one type conforming to this protocol (plus one line in
/// ``Collectors``); auth, paging, rate limits and retries come from the
/// ``APIClient`` that ``collect(into:)`` builds over the run's shared HTTP client.
protocol SaaSCollector: Collector {
    /// The configured source.
    var source: SourceConfiguration { get }
    /// The run's one HTTP client.
    var http: HTTPClient { get }
    /// How requests are retried.
    var policy: RetryPolicy { get }
    /// Creates the collector.
    init(source: SourceConfiguration, http: HTTPClient, policy: RetryPolicy)
    /// Collects everything through `api` into `sink`, page by page.
    func collect(with api: APIClient, into sink: SourceSink) async throws
}

extension SaaSCollector {
    func collect(into sink: SourceSink) async throws {
        let api = try APIClient(source: source, sink: sink, http: http, policy: policy)
        try await collect(with: api, into: sink)
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
    /// record that maps to `nil` (no id) is skipped with a warning.
    func collectAccounts(
        _ listing: Listing, into sink: SourceSink, _ account: @escaping @Sendable (JSONValue) -> Account?
    ) async throws {
        let shown = displayPath(listing.path)
        try await forEachPage(listing) { records in
            let accounts = records.compactMap(account)
            Self.warnSkipped(records.count - accounts.count, "accounts", at: shown, sink: sink)
            if !accounts.isEmpty { try await sink.add(accounts) }
        }
    }

    /// Lists containers, then each container's members, `max_concurrency`
    /// listings at once (the rate limiter paces them together).
    func collectContainers(
        _ listing: Listing, into sink: SourceSink,
        container: @escaping @Sendable (JSONValue) -> Container?,
        members: @escaping @Sendable (Container) -> Listing,
        member: @escaping @Sendable (JSONValue, Container) -> MemberRecord?
    ) async throws {
        let shown = displayPath(listing.path)
        let found = ContainerList()
        try await forEachPage(listing) { records in
            let containers = records.compactMap(container)
            Self.warnSkipped(records.count - containers.count, "containers", at: shown, sink: sink)
            if !containers.isEmpty { try await sink.add(containers) }
            await found.append(containers)
        }
        try await forEachConcurrently(await found.all, limit: source.maxConcurrency) { container in
            try await collectMembers(of: container, listing: members(container), into: sink, member)
        }
    }

    /// Lists the members of one container.
    func collectMembers(
        of container: Container, listing: Listing, into sink: SourceSink,
        _ member: @escaping @Sendable (JSONValue, Container) -> MemberRecord?
    ) async throws {
        let shown = displayPath(listing.path)
        try await forEachPage(listing) { records in
            var memberships: [Membership] = []
            var edges: [ContainerEdge] = []
            for record in records {
                switch member(record, container) {
                case .account(let membership): memberships.append(membership)
                case .container(let edge): edges.append(edge)
                case nil: break
                }
            }
            Self.warnSkipped(records.count - memberships.count - edges.count, "members", at: shown, sink: sink)
            if !memberships.isEmpty { try await sink.add(memberships) }
            if !edges.isEmpty { try await sink.add(edges) }
        }
    }

    static func warnSkipped(_ count: Int, _ what: String, at path: String, sink: SourceSink) {
        guard count > 0 else { return }
        sink.warn("\(count) \(what) at \(path) had no id and were skipped.")
    }
}

/// The containers found so far, for the member listings that follow.
private actor ContainerList {
    private(set) var all: [Container] = []
    func append(_ containers: [Container]) { all += containers }
}
