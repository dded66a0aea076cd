import Foundation

/// A date field whose value was there but is no date between 1970 and 9999 (`1e300`, 31 digits,
/// `yesterday`, `1965-01-01`): stored as unknown.
public struct UnreadableDate: Sendable, Hashable {
    /// The field, as the source names it (`created_at`, `meta.created`, `termination_date`).
    public var field: String
    /// The value as sent, cut to 40 characters.
    public var value: String

    /// Records `value` of `field`.
    public init(field: String, value: String) {
        self.field = field
        self.value = value.count > 40 ? String(value.prefix(39)) + "…" : value
    }
}

/// The dates of one source's run that could not be read: how many, and the first, for the warning
/// of the collect summary.
public struct UnreadableDates: Sendable, Hashable {
    /// How many values were stored as unknown.
    public private(set) var count = 0
    /// The first of them.
    public private(set) var example: UnreadableDate?

    /// None yet.
    public init() {}

    /// Counts `dates`.
    public mutating func add(_ dates: [UnreadableDate]) {
        guard let first = dates.first else { return }
        if example == nil { example = first }
        count += dates.count
    }

    /// Counts `other`.
    public mutating func add(_ other: UnreadableDates) {
        if example == nil { example = other.example }
        count += other.count
    }

    /// The warning the collect summary shows; `nil` when every date was read.
    public var warning: String? {
        guard let example else { return nil }
        let what = count == 1 ? "1 date could not be read" : "\(count) dates could not be read"
        return "\(what) (e.g. '\(example.field)' = '\(example.value)') and \(count == 1 ? "is" : "are") stored as unknown."
    }
}

extension JSONValue {
    /// The date in member `key`, read as ``date`` reads it; a value that is there but is no date
    /// between 1970 and 9999 is added to `unreadable` (as `field`, default `key`) and read as unknown.
    ///
    /// What sources send for "no date" is no date, not a problem: a missing key, `null`, empty text,
    /// `0` (epoch zero, Streak's "never seen") and MySQL's zero date `0000-00-00` (older Laravel).
    func date(_ key: String, field: String? = nil, noting unreadable: inout [UnreadableDate]) -> Date? {
        let value = self[key]
        if let date = value.date { return date }
        switch value {
        case .null: return nil
        case .integer(0): return nil
        case .number(let number) where number == 0: return nil
        case .string:
            guard let text = value.string, text != "0", !text.hasPrefix("0000-00-00") else { return nil }
            unreadable.append(UnreadableDate(field: field ?? key, value: text))
        case .integer, .number, .bool:
            unreadable.append(UnreadableDate(field: field ?? key, value: value.string ?? ""))
        case .array:
            unreadable.append(UnreadableDate(field: field ?? key, value: "[…]"))
        case .object:
            unreadable.append(UnreadableDate(field: field ?? key, value: "{…}"))
        }
        return nil
    }
}
