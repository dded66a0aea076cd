import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one timestamp form of the graph: ISO 8601 UTC text, `2025-06-30T12:00:00Z`,
/// and a tolerant reader for the forms that sources actually send.
public enum Timestamp {
    /// `date` as ISO 8601 UTC text with whole seconds.
    public static func string(from date: Date) -> String {
        // Dates come from untrusted text: keep them within 1970...9999 (``date(fromEpoch:)`` does).
        let interval = date.timeIntervalSince1970
        var seconds = time_t(interval.isFinite ? min(max(interval, 0), latest - 1).rounded(.down) : 0)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02dZ",
            Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
            Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }

    /// `date` as a calendar day in UTC, `2025-06-30`.
    public static func day(from date: Date) -> String {
        String(string(from: date).prefix(10))
    }

    /// The start (00:00:00 UTC) of the day `text` names as `YYYY-MM-DD`, or `nil` when it names none
    /// (`2025-6-30`, `2025-02-30`): the form of every day given on the command line.
    public static func startOfDay(_ text: String) -> Date? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let date = parse(text), day(from: date) == text
        else { return nil }
        return date
    }

    /// Reads a timestamp in any form the APIs use: epoch seconds or milliseconds
    /// (as a number or numeric text), ISO 8601 with or without fractional seconds
    /// and with `Z`, `+02:00` or `+0200`, Laravel `YYYY-MM-DD HH:MM:SS`, or a bare
    /// date. Returns `nil` for anything else, including empty text, and for a time
    /// before 1970 or after 9999: no account was created or seen then, so such a
    /// value (`0001-01-01`, an HR system's `1900-01-01`) means "unknown".
    public static func parse(_ text: String) -> Date? {
        guard let date = parseAnyYear(text), date.timeIntervalSince1970 >= 0 else { return nil }
        return date
    }

    /// ``parse(_:)`` without its lower bound: a date of the years 0000 to 1969 is read too, so that a
    /// caller can tell a date out of range from text that is no date at all.
    static func parseAnyYear(_ text: String) -> Date? {
        let text = text.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return nil }
        if let number = Double(text), text.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" }) {
            return date(fromEpoch: number)
        }
        return parseISO(Array(text.utf8))
    }

    /// A date from an epoch number that may be seconds or milliseconds.
    ///
    /// Values above 10^11 are read as milliseconds: 10^11 seconds is the year
    /// 5138, while 10^11 milliseconds is 1973, so no plausible date is misread.
    public static func date(fromEpoch value: Double) -> Date? {
        guard value.isFinite, value > 0 else { return nil }
        let seconds = value > 100_000_000_000 ? value / 1000 : value
        // A date after the year 9999 is no date a service meant: unknown, not a crash.
        guard seconds < latest else { return nil }
        return Date(timeIntervalSince1970: seconds)
    }

    /// 10000-01-01T00:00:00Z: dates from this instant on are read as unknown.
    static let latest: Double = 253_402_300_800

    private static func parseISO(_ b: [UInt8]) -> Date? {
        var i = 0
        func digits(_ count: Int) -> Int? {
            guard i + count <= b.count else { return nil }
            var value = 0
            for k in i..<(i + count) {
                guard b[k] >= 48, b[k] <= 57 else { return nil }
                value = value * 10 + Int(b[k] - 48)
            }
            i += count
            return value
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < b.count, b[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = digits(4), expect(45), let month = digits(2), expect(45), let day = digits(2) else {
            return nil
        }
        guard (1...12).contains(month), (1...31).contains(day) else { return nil }
        var hour = 0, minute = 0, second = 0
        var fraction = 0.0
        var offset = 0
        if i < b.count {
            guard b[i] == 84 || b[i] == 116 || b[i] == 32 else { return nil }  // T, t or space
            i += 1
            guard let h = digits(2), expect(58), let m = digits(2) else { return nil }
            hour = h
            minute = m
            if expect(58) {
                guard let s = digits(2) else { return nil }
                second = s
                if i < b.count, b[i] == 46 || b[i] == 44 {  // . or ,
                    i += 1
                    var scale = 0.1
                    let start = i
                    while i < b.count, b[i] >= 48, b[i] <= 57 {
                        fraction += Double(b[i] - 48) * scale
                        scale /= 10
                        i += 1
                    }
                    guard i > start else { return nil }
                }
            }
            guard hour < 24, minute < 60, second < 61 else { return nil }
            if i < b.count {
                if b[i] == 90 || b[i] == 122 {  // Z
                    i += 1
                } else if b[i] == 43 || b[i] == 45 {  // + or -
                    let sign = b[i] == 43 ? 1 : -1
                    i += 1
                    guard let oh = digits(2) else { return nil }
                    _ = expect(58)
                    let om = digits(2) ?? 0
                    offset = sign * (oh * 3600 + om * 60)
                } else if b[i] == 32 {
                    // "2025-01-01 10:00:00 UTC" and similar trailing zone names.
                    let rest = String(decoding: b[(i + 1)...], as: UTF8.self).uppercased()
                    guard rest == "UTC" || rest == "GMT" else { return nil }
                    i = b.count
                }
            }
            guard i == b.count else { return nil }
        }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let epoch = timegm(&parts)
        return Date(timeIntervalSince1970: Double(epoch) - Double(offset) + fraction)
    }
}
