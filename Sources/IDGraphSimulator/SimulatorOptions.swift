/// A rolling-window rate limit: at most `requests` in any `windowSeconds`, per credential.
public struct RateLimit: Sendable, Hashable {
    /// Requests allowed in a window.
    public var requests: Int
    /// The window length in seconds.
    public var windowSeconds: Double

    /// `requests` per `windowSeconds`.
    public init(requests: Int, windowSeconds: Double) {
        self.requests = max(requests, 1)
        self.windowSeconds = max(windowSeconds, 0.001)
    }

    /// The default limit of `system`: the vendor's documented one (docs/sources.md); `nil` for none.
    public static func standard(_ system: SimulatedSystem) -> RateLimit? {
        system.vendor.standardRateLimit
    }
}

/// How the simulated servers behave: rate limits, faults, token lifetimes, refused connections.
public struct SimulatorOptions: Sendable {
    /// Enforce rate limits (on by default).
    public var rateLimits: Bool
    /// Limits that replace `RateLimit.standard(_:)` for some systems (tests use small windows).
    public var rateLimitOverrides: [SimulatedSystem: RateLimit]
    /// Injected faults.
    public var faults: Set<SimulatedFault>
    /// Fault "token expiry": Procore access tokens stop working this many seconds after issue,
    /// although `expires_in` still promises `procoreTokenLifetimeSeconds`. nil: tokens live as long as promised.
    public var tokenExpirySeconds: Double?
    /// The `expires_in` Procore's token endpoint returns (the guide: "Access tokens expire").
    public var procoreTokenLifetimeSeconds: Int
    /// Systems whose base URL points at a loopback port nobody listens on, so clients see ECONNREFUSED.
    public var refusingSystems: Set<SimulatedSystem>
    /// Further valid tokens (API keys, Bearer tokens, Streak keys) per system, e.g. to show windows are per credential.
    public var additionalTokens: [SimulatedSystem: [String]]

    // Unfriendly variants a real tenant may show where the vendor documents nothing.
    /// Systems whose list pages hold at most this many records, whatever the client asks for (silently).
    public var pageSizeLimits: [SimulatedSystem: Int] = [:]
    /// Systems whose list endpoints ignore paging parameters and return every record at once.
    public var pagingIgnored: Set<SimulatedSystem> = []
    /// Systems that serve the first page for every page asked for (honouring the size, not the position):
    /// a broken server whose paging would never end.
    public var repeatedPages: Set<SimulatedSystem> = []
    /// Systems whose reported totals (Procore `Total`, ProcessMaker `meta.total`, SCIM `totalResults`)
    /// claim one record more than they list.
    public var overstatedTotals: Set<SimulatedSystem> = []
    /// Whether the ProcessMaker token is an administrator's; otherwise `/group_members` lists only the
    /// token owner's own memberships, as ProcessMaker's `GroupMemberController` does.
    public var processMakerTokenIsAdmin = true
    /// Whether ProcessMaker serves `GET /users/configuration` (4.12 and later); without it, as on an older
    /// server, the endpoint answers 404 and a client cannot tell whose token it holds.
    public var processMakerHasUserConfiguration = true
    /// Whether ProcessMaker's token lists wrongly carry each token's secret (`accessToken`), which a
    /// client must never store.
    public var processMakerLeaksTokens = false
    /// Whether Process Street's SCIM user ids equal its v1.1 user ids (undocumented; by default they differ).
    public var scimIDsMatchUsers = false
    /// Systems whose account dates are absurd: activity `1e300` (a JSON number), creation 31 digits (text).
    public var hostileDates: Set<SimulatedSystem> = []

    /// Options; the defaults are the realistic, fault-free simulator.
    public init(
        rateLimits: Bool = true, rateLimitOverrides: [SimulatedSystem: RateLimit] = [:], faults: Set<SimulatedFault> = [],
        tokenExpirySeconds: Double? = nil, procoreTokenLifetimeSeconds: Int = 7200,
        refusingSystems: Set<SimulatedSystem> = [], additionalTokens: [SimulatedSystem: [String]] = [:]
    ) {
        self.rateLimits = rateLimits
        self.rateLimitOverrides = rateLimitOverrides
        self.faults = faults
        self.tokenExpirySeconds = tokenExpirySeconds
        self.procoreTokenLifetimeSeconds = procoreTokenLifetimeSeconds
        self.refusingSystems = refusingSystems
        self.additionalTokens = additionalTokens
    }

    /// The limit `system` enforces, or nil when rate limiting is off or the system has none.
    public func rateLimit(for system: SimulatedSystem) -> RateLimit? {
        guard rateLimits else { return nil }
        return rateLimitOverrides[system] ?? RateLimit.standard(system)
    }
}
