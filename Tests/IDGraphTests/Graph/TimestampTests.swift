import Foundation
import Testing

@testable import IDGraph

@Suite struct TimestampTests {
    @Test(arguments: [
        ("2025-06-30T12:00:00Z", "2025-06-30T12:00:00Z"),
        ("2025-06-30T12:00:00.123456Z", "2025-06-30T12:00:00Z"),
        ("2025-06-30T14:00:00+02:00", "2025-06-30T12:00:00Z"),
        ("2025-06-30T14:00:00.5+0200", "2025-06-30T12:00:00Z"),
        ("2025-06-30T08:00:00-04:00", "2025-06-30T12:00:00Z"),
        ("2025-06-30 12:00:00", "2025-06-30T12:00:00Z"),
        ("2025-06-30", "2025-06-30T00:00:00Z"),
        ("1751284800", "2025-06-30T12:00:00Z"),
        ("1751284800000", "2025-06-30T12:00:00Z"),
        ("1751284800.0", "2025-06-30T12:00:00Z"),
    ])
    func readsEveryFormSourcesSend(text: String, expected: String) throws {
        let date = try #require(Timestamp.parse(text))
        #expect(Timestamp.string(from: date) == expected)
    }

    @Test(arguments: ["", "yesterday", "2025-13-01", "2025-06-30T25:00:00Z", "0", "-5", "2025-06-30Tnoon", "null"])
    func rejectsWhatIsNotATime(text: String) {
        #expect(Timestamp.parse(text) == nil)
    }
}
