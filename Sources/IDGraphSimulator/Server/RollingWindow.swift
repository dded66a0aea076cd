import Foundation

/// A rolling-window request log per credential: the simulator's rate limiter.
///
/// Only admitted requests are logged: a client that keeps retrying while limited is not locked out for longer.
struct RollingWindow {
    /// The outcome of one request against the limit.
    struct Decision {
        var allowed: Bool
        var limit: Int
        var remaining: Int
        /// Epoch seconds when the oldest logged request leaves the window (a slot frees up).
        var resetEpochSeconds: Int
        /// Whole seconds to wait before a slot frees up (at least 1).
        var retryAfterSeconds: Int
    }

    private var logs: [String: [Double]] = [:]

    mutating func admit(key: String, limit: RateLimit, now: Double) -> Decision {
        var log = logs[key, default: []]
        let windowStart = now - limit.windowSeconds
        if let firstInside = log.firstIndex(where: { $0 > windowStart }) {
            if firstInside > 0 { log.removeFirst(firstInside) }
        } else {
            log.removeAll(keepingCapacity: true)
        }
        let allowed = log.count < limit.requests
        if allowed { log.append(now) }
        logs[key] = log
        let oldest = log.first ?? now
        let reset = oldest + limit.windowSeconds
        return Decision(
            allowed: allowed, limit: limit.requests, remaining: max(limit.requests - log.count, 0),
            resetEpochSeconds: Int(reset.rounded(.up)), retryAfterSeconds: max(Int((reset - now).rounded(.up)), 1))
    }
}
