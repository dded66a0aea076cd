/// How often and how patiently a GET is sent again after a transient fault
/// (429 without a hint, 502/503/504, a refused or reset connection, a timeout,
/// a body that is not valid JSON).
///
/// Delays grow exponentially from ``baseDelay`` up to ``maxDelay``, with
/// "equal jitter" (half fixed, half random) so that concurrent requests of a
/// source, or several idgraph runs, do not retry in lock-step.
public struct RetryPolicy: Sendable, Hashable {
    /// How many times one request is sent in all, the first time included.
    public var maxAttempts: Int
    /// The delay before the first retry (before jitter).
    public var baseDelay: Double
    /// The longest delay between two attempts.
    public var maxDelay: Double
    /// The first pause after a 429 that names no time (Streak sends a bare 429).
    public var rateLimitBaseDelay: Double
    /// The longest pause after a 429 that names no time.
    public var rateLimitMaxDelay: Double
    /// The largest response body read, in bytes; a larger one fails the source.
    /// 128 MiB: Streak lists every user in one unpaginated response, about
    /// 300 bytes a user, so this holds over 400,000 users.
    public var maxBodyBytes: Int

    /// Creates a policy.
    public init(
        maxAttempts: Int = 6, baseDelay: Double = 0.25, maxDelay: Double = 10, rateLimitBaseDelay: Double = 1,
        rateLimitMaxDelay: Double = 60, maxBodyBytes: Int = 128 << 20
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.rateLimitBaseDelay = rateLimitBaseDelay
        self.rateLimitMaxDelay = rateLimitMaxDelay
        self.maxBodyBytes = maxBodyBytes
    }

    /// The policy of `idgraph collect`.
    public static let standard = RetryPolicy()

    /// The delay in seconds before retry number `retry` (1 for the first retry).
    public func delay(beforeRetry retry: Int) -> Double {
        Self.jittered(base: baseDelay, cap: maxDelay, step: retry)
    }

    /// The pause after the `rejection`-th 429 in a row that named no time.
    public func rateLimitDelay(afterRejection rejection: Int) -> Double {
        Self.jittered(base: rateLimitBaseDelay, cap: rateLimitMaxDelay, step: rejection)
    }

    private static func jittered(base: Double, cap: Double, step: Int) -> Double {
        let exponential = min(cap, base * Double(1 << min(max(step - 1, 0), 20)))
        return exponential / 2 + Double.random(in: 0...(exponential / 2))
    }
}
