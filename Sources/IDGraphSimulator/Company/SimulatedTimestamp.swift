import Foundation

/// A timestamp as one system serves it: the instant plus the textual form it takes on the wire.
///
/// Real services mix forms; the generator plants the forms each vendor serves (docs/sources.md):
/// epoch milliseconds, ISO 8601 with and without fractions, `Z` and `+02:00`, an explicit `null`,
/// and a missing key. (`laravel`, `YYYY-MM-DD HH:MM:SS` of older ProcessMaker versions, is kept for
/// tests of tolerant decoding.)
public struct SimulatedTimestamp: Sendable, Hashable {
    /// How the timestamp is written in JSON.
    public enum Form: String, Sendable, Hashable, CaseIterable {
        /// The key is absent from the object.
        case missing
        /// The key is present with the value `null`.
        case null
        /// `2025-03-02T14:05:09Z`
        case iso8601
        /// `2025-03-02T14:05:09.123Z`
        case iso8601Fractional
        /// `2025-03-02T16:05:09+02:00` (the same instant in a +02:00 zone)
        case iso8601Offset
        /// `2025-03-02 14:05:09` (Laravel's default serialisation, UTC)
        case laravel
        /// `1740924309123` (a JSON number, milliseconds since 1970)
        case epochMilliseconds
        /// `1e300`, a JSON number no date can be (a hostile variant)
        case absurdNumber
        /// `"1234567890123456789012345678901"`, 31 digits as text (a hostile variant)
        case absurdDigits
    }

    /// The instant, or nil for `missing` and `null`.
    public var date: Date?
    /// The wire form.
    public var form: Form

    /// A timestamp with a value.
    public init(_ date: Date, _ form: Form) {
        self.date = date
        self.form = form
    }

    /// A timestamp whose key is absent or null.
    public static let missing = SimulatedTimestamp(date: nil, form: .missing)
    /// A timestamp present as JSON `null`.
    public static let null = SimulatedTimestamp(date: nil, form: .null)
    /// A value that is no date, in `form` (``Form/absurdNumber`` or ``Form/absurdDigits``).
    public static func absurd(_ form: Form) -> SimulatedTimestamp { SimulatedTimestamp(date: nil, form: form) }

    init(date: Date?, form: Form) {
        self.date = date
        self.form = form
    }

    /// The JSON value text, or nil when the key must be left out.
    var jsonValue: String? {
        if form == .absurdNumber { return "1e300" }
        if form == .absurdDigits { return "\"1234567890123456789012345678901\"" }
        guard let date else { return form == .missing ? nil : "null" }
        switch form {
        case .missing: return nil
        case .null: return "null"
        case .epochMilliseconds: return String(Int64((date.timeIntervalSince1970 * 1000).rounded()))
        default: return "\"" + Self.text(date, form) + "\""
        }
    }

    /// Formats `date` in `form` by hand: DateFormatter is slow at half a million records and not Sendable.
    static func text(_ date: Date, _ form: Form) -> String {
        let offsetSeconds = form == .iso8601Offset ? 7200 : 0
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded())
        var seconds = millis / 1000
        let fraction = Int(millis % 1000)
        seconds += Int64(offsetSeconds)
        var days = seconds / 86_400
        var rest = seconds % 86_400
        if rest < 0 { rest += 86_400; days -= 1 }
        let (y, m, d) = civil(fromDays: days)
        let hh = Int(rest / 3600), mm = Int(rest % 3600 / 60), ss = Int(rest % 60)
        let day = "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
        let time = "\(pad(hh, 2)):\(pad(mm, 2)):\(pad(ss, 2))"
        switch form {
        case .laravel: return day + " " + time
        case .iso8601Fractional: return day + "T" + time + "." + pad(fraction, 3) + "Z"
        case .iso8601Offset: return day + "T" + time + "+02:00"
        default: return day + "T" + time + "Z"
        }
    }

    /// `YYYY-MM-DD` in UTC, the roster's date form.
    static func day(_ date: Date) -> String { String(text(date, .iso8601).prefix(10)) }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let s = String(value)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian, UTC).
    private static func civil(fromDays z0: Int64) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (Int(m <= 2 ? y + 1 : y), Int(m), Int(d))
    }
}
