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
}
