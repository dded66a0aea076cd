import Foundation
import Testing

@testable import IDGraph

@Suite struct RateLimitHeadersTests {
    let now = Date(timeIntervalSince1970: 1_750_000_000)

    @Test func retryAfterInSecondsOrAsHTTPDate() {
        #expect(RateLimitHeaders([("Retry-After", "7")], now: now).retryAfterSeconds == 7)
        let exact = RateLimitHeaders(
            [("Retry-After", "Sun, 06 Nov 1994 08:49:37 GMT")],
            now: Date(timeIntervalSince1970: 784_111_767))
        #expect(exact.retryAfterSeconds == 10)
    }

    @Test func resetAsEpochOrDelay() {
        let epoch = RateLimitHeaders(
            [("X-RateLimit-Reset", "1750000012"), ("X-RateLimit-Remaining", "0"), ("X-RateLimit-Limit", "30")],
            now: now)
        #expect(epoch.resetSeconds == 12)
        #expect(epoch.remaining == 0)
        #expect(epoch.limit == 30)
        let delay = RateLimitHeaders([("X-Rate-Limit-Reset", "45"), ("X-Rate-Limit-Remaining", "3")], now: now)
        #expect(delay.resetSeconds == 45)
        #expect(delay.remaining == 3)
        let millis = RateLimitHeaders([("X-RateLimit-Reset", "1750000002500")], now: now)
        #expect(millis.resetSeconds == 2.5)
        let past = RateLimitHeaders([("X-RateLimit-Reset", "1749999000")], now: now)
        #expect(past.resetSeconds == 0)
    }

    @Test func noHeadersNoHints() {
        let none = RateLimitHeaders([], now: now)
        #expect(none == RateLimitHeaders([("X-RateLimit-Reset", "soon")], now: now))
        #expect(none.remaining == nil && none.resetSeconds == nil && none.retryAfterSeconds == nil)
    }

    @Test func backoffGrowsAndIsCapped() {
        let policy = RetryPolicy(maxAttempts: 5, baseDelay: 1, maxDelay: 4)
        for _ in 0..<50 {
            #expect((0.5...1).contains(policy.delay(beforeRetry: 1)))
            #expect((1...2).contains(policy.delay(beforeRetry: 2)))
            #expect((2...4).contains(policy.delay(beforeRetry: 5)))
        }
    }
}
