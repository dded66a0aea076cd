/// The rate-limit budget of one source, shared by all its concurrent requests.
///
/// Every request first asks for a slot (``reserve()``). Once the API has said
/// how many requests are left in the window (`X-RateLimit-Remaining` and a
/// reset time), the limiter hands out only that many and then makes callers
/// wait for the reset: it paces ahead of the limit instead of running into a
/// 429. A 429 or `Retry-After` blocks every request of the source until the
/// time the server named (or an exponential backoff when it named none).
actor RateLimiter {
    /// What a caller must do before sending a request.
    enum Decision: Equatable {
        /// Send now; a slot is taken.
        case proceed
        /// Wait this long, then ask again. `announce` is true for the first
        /// caller that meets this wait, so the pause is reported once.
        case wait(Duration, announce: Bool, reason: String)
    }

    private let clock = ContinuousClock()
    /// Slots left in the current window, after requests sent but not yet answered.
    private var remaining: Int?
    /// When the current window ends, if the API said.
    private var windowEnd: ContinuousClock.Instant?
    /// No request before this instant (a 429, `Retry-After`).
    private var blockedUntil: ContinuousClock.Instant?
    /// Requests given a slot whose response has not arrived.
    private var pending = 0
    /// The end of the last wait that was reported, so concurrent waiters report it once.
    private var announced: ContinuousClock.Instant?
    /// When the first request after the last wait was sent.
    private var burstStart: ContinuousClock.Instant?
    /// How long the API's window is, as learned from a 429's reset time.
    private var windowLength: Duration?
    /// Consecutive 429s without a hint, for exponential backoff.
    private var unhintedRejections = 0

    /// A small margin past a reset time, for servers that round it down.
    private let margin = Duration.milliseconds(20)

    /// Takes a slot, or says how long to wait for one.
    func reserve() -> Decision {
        let now = clock.now
        if let blockedUntil, blockedUntil > now {
            return wait(until: blockedUntil, now: now, reason: "rate limited by the API (429)")
        }
        if let end = windowEnd, end <= now {
            // The window is over. One request learns the new budget before the rest follow.
            windowEnd = nil
            remaining = 1
            burstStart = nil
        }
        if let left = remaining {
            if left <= 0 {
                if let end = windowEnd {
                    return wait(until: end + margin, now: now, reason: "rate limit reached; waiting for the window to reset")
                }
                if pending > 0 {
                    // A response on its way will say what is left.
                    return .wait(.milliseconds(5), announce: false, reason: "")
                }
                if let start = burstStart, let length = windowLength, start + length > now {
                    // The API gives no reset time on success (ProcessMaker): the window
                    // learned from an earlier 429 says when this burst's slots free up.
                    windowEnd = start + length
                    return wait(until: start + length + margin, now: now, reason: "rate limit reached; waiting for the window to reset")
                }
                remaining = nil
            } else {
                remaining = left - 1
            }
        }
        if burstStart == nil { burstStart = now }
        pending += 1
        return .proceed
    }

    /// Gives back a slot that was not used (the request was never sent).
    func release() {
        pending = max(0, pending - 1)
    }

    /// Records what a response said about the budget.
    func record(_ headers: RateLimitHeaders, status: Int) {
        pending = max(0, pending - 1)
        let now = clock.now
        if status != 429 { unhintedRejections = 0 }
        if let reset = headers.resetSeconds {
            let end = now + .milliseconds(Int64(reset * 1000))
            if let current = windowEnd, abs((end - current).seconds) < 1 {
                // The same window: the lower count is the safer one.
                if let left = headers.remaining { remaining = min(remaining ?? Int.max, left - pending) }
            } else if windowEnd == nil || end > windowEnd! {
                windowEnd = end
                if let left = headers.remaining { remaining = left - pending }
            }
        } else if let left = headers.remaining {
            remaining = left - pending
        }
        if let retryAfter = headers.retryAfterSeconds, status == 429 || status == 503 || headers.remaining == 0 {
            block(for: retryAfter)
        }
    }

    /// Blocks every request of the source after a 429. Uses the server's hint
    /// when there is one, otherwise `backoff(n)` for the n-th rejection in a row.
    func rejected(_ headers: RateLimitHeaders, backoff: (Int) -> Double) -> Double {
        if let retryAfter = headers.retryAfterSeconds {
            block(for: retryAfter)
            return retryAfter
        }
        if let reset = headers.resetSeconds {
            block(for: reset)
            return reset
        }
        unhintedRejections += 1
        let delay = backoff(unhintedRejections)
        block(for: delay)
        return delay
    }

    private func block(for seconds: Double) {
        let until = clock.now + .milliseconds(Int64(seconds * 1000)) + margin
        if blockedUntil == nil || until > blockedUntil! { blockedUntil = until }
        if let start = burstStart, until > start { windowLength = until - start }
        burstStart = nil
    }

    private func wait(until end: ContinuousClock.Instant, now: ContinuousClock.Instant, reason: String) -> Decision {
        let announce = announced != end
        if announce { announced = end }
        return .wait(end - now, announce: announce, reason: reason)
    }
}
