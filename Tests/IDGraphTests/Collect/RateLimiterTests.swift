import Foundation
import Synchronization
import Testing

@testable import IDGraph

@Suite struct RateLimiterTests {
    @Test func hasNoOpinionUntilTheAPISays() async {
        let limiter = RateLimiter()
        for _ in 0..<100 { #expect(await limiter.reserve() == .proceed) }
    }

    @Test func waitsBeforeTheNextRequestWhenNoneRemain() async {
        let limiter = RateLimiter()
        #expect(await limiter.reserve() == .proceed)
        await limiter.record(RateLimitHeaders([("X-RateLimit-Remaining", "1"), ("X-RateLimit-Reset", "30")]), status: 200)
        #expect(await limiter.reserve() == .proceed)
        guard case .wait(let duration, let announce, _) = await limiter.reserve() else {
            Issue.record("expected a wait")
            return
        }
        #expect(announce)
        #expect(duration > .seconds(29) && duration <= .seconds(31))
        // A second waiter for the same reset is not announced again.
        guard case .wait(_, let again, _) = await limiter.reserve() else {
            Issue.record("expected a wait")
            return
        }
        #expect(!again)
    }

    @Test func countsRequestsInFlightAgainstTheBudget() async {
        let limiter = RateLimiter()
        for _ in 0..<4 { #expect(await limiter.reserve() == .proceed) }
        // The first answer says 3 remain, but three more requests are already out.
        await limiter.record(RateLimitHeaders([("X-RateLimit-Remaining", "3"), ("X-RateLimit-Reset", "30")]), status: 200)
        if case .proceed = await limiter.reserve() { Issue.record("the budget is spent by the requests in flight") }
    }

    @Test func a429WithoutHintBacksOffExponentially() async {
        let limiter = RateLimiter()
        let first = await limiter.rejected(RateLimitHeaders([])) { Double($0) }
        let second = await limiter.rejected(RateLimitHeaders([])) { Double($0) }
        #expect(first == 1 && second == 2)
        let hinted = await limiter.rejected(RateLimitHeaders([("Retry-After", "3")])) { _ in 99 }
        #expect(hinted == 3)
    }

    /// A rolling window of 100 requests per 10 seconds, as Process Street
    /// counts it: the first 429 teaches the window. The server may refuse a
    /// request the limiter thought was free (its clock and the server's differ
    /// by the time a request travels); that refusal, one request after a
    /// block, must not teach a limit of the one request sent since.
    @Test func aRefusalSoonAfterABlockKeepsTheLimitTheWindowShowed() async {
        let time = ManualTime()
        let limiter = RateLimiter(clock: { time.now })
        /// Sends one request when the limiter allows it, moving time through its waits.
        func next(status: Int = 200, retryAfter: String? = nil) async {
            while case .wait(let duration, _, _) = await limiter.reserve() { time.advance(duration) }
            await limiter.record(RateLimitHeaders([]), status: status)
            if status == 429 {
                _ = await limiter.rejected(RateLimitHeaders(retryAfter.map { [("Retry-After", $0)] } ?? [])) { _ in 1 }
            }
        }
        let start = time.now
        for _ in 0..<100 {
            await next()
            time.advance(.milliseconds(80))  // 100 requests in 8 s
        }
        await next(status: 429, retryAfter: "2")
        await next()  // the window has moved on: one gets through
        await next(status: 429, retryAfter: "0.05")  // the server still counts the next as in its window
        let lesson = time.now
        var sent = 0
        while time.now < lesson + .seconds(20) {
            await next()
            sent += 1
        }
        #expect(time.now - start > .seconds(29))
        // About 100 per 10 s, as the window showed; not one or two per window.
        #expect(sent >= 150 && sent <= 210, "\(sent) requests in 20 s")
    }
}

/// Time a test moves by hand.
final class ManualTime: Sendable {
    private let instant = Mutex(ContinuousClock.now)

    var now: ContinuousClock.Instant { instant.withLock { $0 } }

    func advance(_ duration: Duration) { instant.withLock { $0 += duration } }
}
