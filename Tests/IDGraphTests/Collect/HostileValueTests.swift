import Foundation
import Testing

@testable import IDGraph

/// Numbers from untrusted text (an API's headers and fields, a config) are read within sane bounds:
/// an absurd value is an error or a clamped wait, never a trap.
@Suite struct HostileValueTests {
    @Test(arguments: ["1e300", "99999999999999999999", "1.7976931348623157e308", "Infinity", "NaN", "-5"])
    func rateLimitHeadersNeverAskForAnEndlessWait(value: String) {
        let now = Date(timeIntervalSince1970: 1_750_000_000)
        let limits = RateLimitHeaders([("Retry-After", value), ("X-Rate-Limit-Reset", value), ("X-RateLimit-Remaining", value)], now: now)
        for seconds in [limits.retryAfterSeconds, limits.resetSeconds].compactMap({ $0 }) {
            #expect(seconds.isFinite && seconds >= 0 && seconds <= RateLimitHeaders.longestWait)
            // Always representable as the Duration a wait sleeps for.
            _ = Duration.milliseconds(Int64(seconds * 1000))
        }
    }

    @Test(arguments: [1e300, 1e31, 253_402_300_800_000])
    func datesAfterTheYear9999AreUnknown(epoch: Double) {
        #expect(Timestamp.date(fromEpoch: epoch) == nil)
    }

    @Test func absurdDatesInJSONAreUnknownAndFormattingNeverTraps() throws {
        let record = try JSONValue.parse(Data(#"{"a": 1e300, "b": "1234567890123456789012345678901", "c": 1735689600000}"#.utf8))
        #expect(record["a"].date == nil)
        #expect(record["b"].date == nil)
        #expect(record["c"].date == Date(timeIntervalSince1970: 1_735_689_600))
        #expect(Timestamp.string(from: Date(timeIntervalSince1970: 1e300)) == "9999-12-31T23:59:59Z")
        #expect(Timestamp.string(from: Date(timeIntervalSince1970: -1e300)) == "1970-01-01T00:00:00Z")
    }

    @Test(arguments: [
        ("request_timeout_seconds", "1e16", "at most 3600"), ("max_wait_seconds", "1e300", "at most 86400"),
        ("request_timeout_seconds", "inf", "greater than 0"),
    ])
    func absurdConfigurationNumbersAreRefused(key: String, value: String, message: String) {
        let yaml = "sources:\n  - name: hr\n    kind: roster\n    path: a.csv\n    \(key): \(value)\n"
        do {
            _ = try ConfigurationLoader(environment: [:]).parse(yaml, file: "x.yaml")
            Issue.record("\(key): \(value) was accepted")
        } catch {
            #expect(error.description.contains(message), "\(error.description)")
            #expect(error.line == 5)
        }
    }
}
