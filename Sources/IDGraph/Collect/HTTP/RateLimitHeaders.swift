import AsyncHTTPClient
import Foundation
import NIOHTTP1

/// What a response says about the source's rate limit, in any of the spellings
/// the APIs use: `Retry-After` (seconds or an HTTP date), `X-RateLimit-*`
/// (ProofHub), `X-Rate-Limit-*` (Procore) and the IETF `RateLimit-*` draft.
///
/// Reset values may be epoch seconds (or milliseconds) or seconds to wait;
/// both are read as "seconds from now".
struct RateLimitHeaders: Sendable, Hashable {
    /// Requests allowed per window.
    var limit: Int?
    /// Requests left in the current window.
    var remaining: Int?
    /// Seconds until the window resets.
    var resetSeconds: Double?
    /// Seconds the server asks to wait before the next request.
    var retryAfterSeconds: Double?

    /// Reads the headers of a response received at `now`.
    init(_ headers: HTTPHeaders, now: Date = Date()) {
        func value(_ names: String...) -> String? {
            for name in names {
                if let value = headers.first(name: name)?.trimmingCharacters(in: .whitespaces), !value.isEmpty {
                    return value
                }
            }
            return nil
        }
        limit = value("X-RateLimit-Limit", "X-Rate-Limit-Limit", "RateLimit-Limit").flatMap(Self.leadingInt)
        remaining = value("X-RateLimit-Remaining", "X-Rate-Limit-Remaining", "RateLimit-Remaining")
            .flatMap(Self.leadingInt)
        resetSeconds = value("X-RateLimit-Reset", "X-Rate-Limit-Reset", "RateLimit-Reset")
            .flatMap { Self.secondsUntil($0, now: now) }
        retryAfterSeconds = value("Retry-After").flatMap { Self.secondsUntil($0, now: now) }
    }

    /// Reads header `fields` (name, value) of a response received at `now`.
    init(_ fields: [(String, String)], now: Date = Date()) {
        self.init(HTTPHeaders(fields), now: now)
    }

    /// The integer at the start of `text` (`"30"`, `"30;w=10"`, `"30, 30;w=10"`).
    static func leadingInt(_ text: String) -> Int? {
        Int(text.prefix { $0.isNumber })
    }

    /// Seconds from `now` that `text` stands for: a delay in seconds, an epoch
    /// time in seconds or milliseconds, or an HTTP date. Never negative.
    static func secondsUntil(_ text: String, now: Date) -> Double? {
        if let number = Double(text) {
            guard number.isFinite, number >= 0 else { return nil }
            // Below 10^9 (2001) a value cannot be an epoch time, so it is a delay.
            if number < 1_000_000_000 { return min(number, longestWait) }
            let epoch = number > 100_000_000_000 ? number / 1000 : number
            return min(max(0, epoch - now.timeIntervalSince1970), longestWait)
        }
        guard let date = httpDate(text) else { return nil }
        return min(max(0, date.timeIntervalSince(now)), longestWait)
    }

    /// The longest wait a header may ask for, as read: an absurd value (`1e300`, twenty digits) is
    /// kept finite and well inside a `Duration`, and then fails the source as longer than
    /// `max_wait_seconds` (at most a day) allows.
    static let longestWait: Double = 10_000_000

    /// Parses an HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`, RFC 9110 IMF-fixdate).
    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}
