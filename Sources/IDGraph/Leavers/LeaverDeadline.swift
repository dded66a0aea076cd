import Foundation

/// When a leaver's access must be gone: by the end (UTC) of the termination
/// day plus the SLA's days.
public struct LeaverDeadline: Sendable, Hashable {
    /// The start (UTC) of the termination day.
    public var termination: Date
    /// The last day access may remain, `YYYY-MM-DD`: the termination day plus the SLA.
    public var day: String
    /// The end (UTC) of ``day``: access seen at or after this instant is late.
    public var end: Date
    /// The SLA in days.
    public var slaDays: Int

    /// The deadline of a person terminated on `termination` (its start, UTC) with an SLA of `slaDays` days.
    public init(termination: Date, slaDays: Int) {
        self.termination = termination
        self.slaDays = slaDays
        let last = termination.addingTimeInterval(Double(slaDays) * 86_400)
        day = Timestamp.day(from: last)
        end = last.addingTimeInterval(86_400)
    }

    /// How often an API source must be collected so that a removal made on the
    /// termination day is always seen by a collect before the deadline: a collect
    /// falls within any `slaDays` days (at least daily).
    public var cadenceDays: Int { max(1, slaDays) }

    /// `seconds` as days for a note: `3 days`, `1.5 days`, `1 day`.
    static func days(_ seconds: TimeInterval) -> String {
        let tenths = (abs(seconds) / 8_640).rounded()
        let text = tenths.truncatingRemainder(dividingBy: 10) == 0
            ? String(Int(tenths / 10)) : String(format: "%.1f", tenths / 10)
        return text + (text == "1" ? " day" : " days")
    }
}
