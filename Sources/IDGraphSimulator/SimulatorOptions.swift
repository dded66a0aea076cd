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

    /// The default limit of each system: the API guide's number where it gives one.
    ///
    /// - ProofHub: "30 requests per 10 seconds per API token" (proofhub.txt, Rate limits).
    /// - Procore: "3,600 requests per hour … per-minute rolling window … per OAuth application" → 60 per 60 s per client_id (procore.txt).
    /// - ProcessMaker: not in the guide; Laravel's default `throttle:api`, 60 per minute.
    /// - Process Street and Streak: "not publicly documented"; 100 and 40 per 10 s, so large companies do meet them.
    public static func standard(_ system: SimulatedSystem) -> RateLimit {
        switch system {
        case .processStreet: RateLimit(requests: 100, windowSeconds: 10)
        case .proofHub: RateLimit(requests: 30, windowSeconds: 10)
        case .streak: RateLimit(requests: 40, windowSeconds: 10)
        case .processMaker: RateLimit(requests: 60, windowSeconds: 60)
        case .procore: RateLimit(requests: 60, windowSeconds: 60)
        }
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
    /// Further valid tokens (Bearer tokens or Streak API keys) per system, e.g. to show windows are per credential.
    public var additionalTokens: [SimulatedSystem: [String]]

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

    /// The limit `system` enforces, or nil when rate limiting is off.
    public func rateLimit(for system: SimulatedSystem) -> RateLimit? {
        guard rateLimits else { return nil }
        return rateLimitOverrides[system] ?? RateLimit.standard(system)
    }
}
