import Foundation
import Testing

@testable import IDGraph

@Suite struct JSONValueTests {
    private func parse(_ text: String) throws -> JSONValue {
        try JSONValue.parse(Data(text.utf8))
    }

    @Test func numbersAndStringsAreInterchangeable() throws {
        let value = try parse(#"{"a": 42, "b": "42", "c": 42.0, "d": " 7 ", "e": 1.5}"#)
        #expect(value["a"].id == "42")
        #expect(value["b"].int == 42)
        #expect(value["c"].id == "42")
        #expect(value["d"].int == 7)
        #expect(value["e"].int == nil)
        #expect(value["a"].string == "42")
    }

    @Test(arguments: [
        (#"true"#, true), (#"false"#, false), (#"1"#, true), (#"0"#, false), (#""true""#, true), (#""FALSE""#, false),
        (#""1""#, true), (#""no""#, false),
    ])
    func booleansInEveryForm(json: String, expected: Bool) throws {
        #expect(try parse(#"{"x": \#(json)}"#)["x"].bool == expected)
    }

    @Test func nullsAndMissingFieldsAreNil() throws {
        let value = try parse(#"{"a": null, "b": "", "c": {"d": null}}"#)
        #expect(value["a"].string == nil)
        #expect(value["b"].string == nil)
        #expect(value["missing"]["deeper"].string == nil)
        #expect(value["c"]["d"].bool == nil)
        #expect(value["a"].isNull)
        #expect(value.first("a", "missing", "c").object != nil)
    }

    @Test func timestampsInEveryForm() throws {
        let value = try parse(
            #"{"s": 1735689600, "ms": 1735689600000, "text": "1735689600", "iso": "2025-01-01T00:00:00Z", "frac": "2025-01-01T00:00:00.123Z", "offset": "2025-01-01T02:00:00+02:00", "laravel": "2025-01-01 00:00:00"}"#
        )
        let expected = Date(timeIntervalSince1970: 1_735_689_600)
        for key in ["s", "ms", "text", "iso", "offset", "laravel"] {
            #expect(value[key].date == expected, "\(key)")
        }
        #expect(abs(value["frac"].date!.timeIntervalSince(expected) - 0.123) < 0.001)
    }

    @Test func truncatedBodyIsNotJSON() {
        #expect(throws: (any Error).self) { try parse(#"{"members": [{"id": 1}, {"id"#) }
    }
}
