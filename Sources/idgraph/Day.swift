import ArgumentParser
import Foundation
import IDGraph

/// A day given on the command line as `YYYY-MM-DD` (UTC): `--as-of`, `--due`, `--from`, `--to`.
enum Day {
    /// Whether `text` names a day.
    static func isValid(_ text: String) -> Bool { Timestamp.startOfDay(text) != nil }

    /// The start (00:00 UTC) of the day `text` names, for option `option`; a usage error otherwise.
    static func start(of text: String, option: String) throws -> Date {
        guard let date = Timestamp.startOfDay(text) else {
            throw ValidationError("\(option) must be a day as YYYY-MM-DD, for example 2025-06-30, not '\(text)'.")
        }
        return date
    }
}
