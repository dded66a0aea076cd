/// The rate-limit budget of one source, shared by all its concurrent requests.
///
/// Every request first asks for a slot (``reserve()``). The limiter paces
/// ahead of the limit instead of running into 429s, from whatever the API
/// tells:
///
/// - `Remaining` with a reset time (ProofHub, Procore): it hands out only the
///   remaining slots, then waits for the reset.
/// - A limit but no reset time (ProcessMaker), or nothing but the 429 itself
///   (Process Street, Streak): the first 429 tells how long the window is
///   (`Retry-After`, or the backoff that got through); from then on the
///   limiter keeps its own log of send times and sends no more than the limit
///   within any window, as the APIs' rolling windows count.
///
/// A 429 blocks every request of the source until the time the server named
/// (or an exponential backoff when it named none).
actor RateLimiter {
    /// What a caller must do before sending a request.
    enum Decision: Equatable {
        /// Send now; a slot is taken.
        case proceed
        /// Wait this long, then ask again. `announce` is true for the first
        /// caller that meets this wait, so the pause is reported once (and
        /// not at all when it is a short pacing pause).
        case wait(Duration, announce: Bool, reason: String)
    }

    /// The current instant: the continuous clock, or a test's own time.
    private let clock: @Sendable () -> ContinuousClock.Instant

    /// Creates a limiter that knows nothing of the API's budget yet.
    init(clock: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }) {
        self.clock = clock
    }
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
    /// Consecutive 429s without a hint, for exponential backoff.
    private var unhintedRejections = 0

    /// Requests per window, as the API said (`X-RateLimit-Limit`) or as learned from a 429.
    private var limit: Int?
    /// Whether `limit` came from a header (and is not to be second-guessed).
    private var limitFromHeader = false
    /// How long the API's window is, as learned from a 429.
    private var windowLength: Duration?
    /// When the first request after the last 429 was sent.
    private var burstStart: ContinuousClock.Instant?
    /// When recent requests were sent (oldest first), for the client-side window.
    private var sent: [ContinuousClock.Instant] = []
    private var sentStart = 0

    /// A small margin past a reset time, for servers that round it down.
    private let margin = Duration.milliseconds(20)

    /// Takes a slot, or says how long to wait for one.
    func reserve() -> Decision {
        let now = clock()
        if let blockedUntil, blockedUntil > now {
            return wait(until: blockedUntil, now: now, reason: "rate limited by the API (429)")
        }
        if let end = windowEnd, end <= now {
            // The window is over. One request learns the new budget before the rest follow.
            windowEnd = nil
            remaining = 1
        }
        if let left = remaining, left <= 0 {
            if let end = windowEnd {
                return wait(until: end + margin, now: now, reason: "rate limit reached; waiting for the window to reset")
            }
            if pending > 0 {
                // A response on its way will say what is left.
                return .wait(.milliseconds(5), announce: false, reason: "")
            }
            remaining = nil  // No reset time: the client-side window decides.
        }
        if let free = slotFrees(now: now) {
            return wait(until: free + margin, now: now, reason: "rate limit reached; waiting for the window to move on")
        }
        if let left = remaining { remaining = left - 1 }
        if burstStart == nil { burstStart = now }
        logSend(now)
        pending += 1
        return .proceed
    }

    /// Gives back a slot that was not used (the request was never sent).
    func release() {
        pending = max(0, pending - 1)
        unlogLastSend()
    }

    /// Records what a response said about the budget.
    func record(_ headers: RateLimitHeaders, status: Int) {
        pending = max(0, pending - 1)
        let now = clock()
        if status == 429 {
            unlogLastSend()  // The API does not count a refused request.
        } else {
            unhintedRejections = 0
        }
        if let headerLimit = headers.limit, headerLimit > 0 {
            limit = headerLimit
            limitFromHeader = true
        }
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
    }

    /// Blocks every request of the source after a 429. Uses the server's hint
    /// when there is one, otherwise `backoff(n)` for the n-th rejection in a row.
    /// Returns the seconds blocked.
    func rejected(_ headers: RateLimitHeaders, backoff: (Int) -> Double) -> Double {
        let seconds: Double
        if let retryAfter = headers.retryAfterSeconds {
            seconds = retryAfter
        } else if let reset = headers.resetSeconds {
            seconds = reset
        } else {
            unhintedRejections += 1
            seconds = backoff(unhintedRejections)
        }
        let until = clock() + .milliseconds(Int64(seconds * 1000)) + margin
        if blockedUntil == nil || until > blockedUntil! { blockedUntil = until }
        learnWindow(blockedUntil: until)
        if !limitFromHeader, let length = windowLength, let known = limit {
            // Refused although within the learned limit: the limit is lower,
            // by one at a time (a burst of refusals is one lesson, not many).
            let recent = sent[sentStart...].filter { $0 > clock() - length }.count
            limit = max(1, min(known, max(recent - pending, known - 1)))
        }
        return seconds
    }

    /// After a 429: the window is about as long as from the first request of
    /// the burst to when the API lets requests through again, and the limit
    /// (unless a header says) is what got through in it.
    ///
    /// What got through is counted over the whole window, not only since the
    /// burst began: a rolling window still holds the requests sent before an
    /// earlier 429, so a refusal soon after one says the window is full, not
    /// that the limit is the one or two requests sent since.
    private func learnWindow(blockedUntil until: ContinuousClock.Instant) {
        guard let start = burstStart, until > start else { return }
        burstStart = nil
        let length = max(windowLength ?? .zero, until - start)
        windowLength = length
        guard !limitFromHeader else { return }
        // Requests still in flight may be refused too: count only the answered ones.
        let from = min(start, until - length)
        let admitted = sent[sentStart...].filter { $0 >= from }.count - pending
        if admitted > 0 { limit = min(limit ?? .max, admitted) }
    }

    /// When the client-side window has room again, if it is full now.
    private func slotFrees(now: ContinuousClock.Instant) -> ContinuousClock.Instant? {
        guard let limit, let length = windowLength else { return nil }
        let horizon = now - length
        while sentStart < sent.count, sent[sentStart] <= horizon { sentStart += 1 }
        let inWindow = sent.count - sentStart
        guard inWindow >= limit else { return nil }
        return sent[sent.count - limit] + length
    }

    private func logSend(_ now: ContinuousClock.Instant) {
        sent.append(now)
        if sentStart > 4096 {
            sent.removeFirst(sentStart)
            sentStart = 0
        }
    }

    private func unlogLastSend() {
        if sent.count > sentStart { sent.removeLast() }
    }

    private func wait(until end: ContinuousClock.Instant, now: ContinuousClock.Instant, reason: String) -> Decision {
        // Pauses of a few milliseconds, while a rolling window frees one slot
        // after another, are pacing rather than waits worth reporting.
        let announce = announced != end && end - now >= .milliseconds(250)
        if announce { announced = end }
        return .wait(end - now, announce: announce, reason: reason)
    }
}
