import Foundation
import Testing

@testable import IDGraph

/// Splitting a body that is a JSON array into its elements, and decoding them a batch at a time.
@Suite struct JSONArrayElementsTests {
    /// Elements whose strings hold brackets, braces, commas, quotes and escapes.
    static let tricky = #"""
         [ {"key": "a]b", "name": "O'Brien, \"Bob\"", "path": "C:\\\\dir\\"},
        {"key":"x}{[", "list": [1, [2, {"y": "]"}]], "empty": {}},
        "a plain \"string\" with \\ and \u005d",
        42, -1.5e3, true, false, null,
        [], {} ]

        """#

    private func split(_ text: String, batchSize: Int = JSONArrayElements.batchSize, batchBytes: Int = JSONArrayElements.batchBytes)
        throws -> JSONArrayElements?
    {
        try JSONArrayElements(Data(text.utf8), batchSize: batchSize, batchBytes: batchBytes)
    }

    private func decoded(_ elements: JSONArrayElements) throws -> [[JSONValue]] {
        try (0..<elements.batchCount).map { try elements.batch($0) }
    }

    @Test(arguments: [1, 2, 3, 1_000])
    func elementsAreSplitAtTheirOwnBoundaries(batchSize: Int) throws {
        let elements = try #require(try split(Self.tricky, batchSize: batchSize))
        let whole = try #require(try JSONValue.parse(Data(Self.tricky.utf8)).array)
        #expect(elements.count == whole.count)
        #expect(elements.count == 10)
        let batches = try decoded(elements)
        #expect(batches.flatMap { $0 } == whole)
        #expect(batches.allSatisfy { $0.count <= batchSize })
        #expect(batches.count == (whole.count + batchSize - 1) / batchSize)
        #expect((0..<elements.batchCount).map(elements.firstElement(ofBatch:)) == Array(stride(from: 0, to: whole.count, by: batchSize)))
        #expect(batches[0][0]["name"].text == #"O'Brien, "Bob""#)
        #expect(batches.flatMap { $0 }[2].text == #"a plain "string" with \ and ]"#)
    }

    @Test func aBatchEndsOnceItReachesItsByteLimit() throws {
        let body = "[" + (1...10).map { #"{"id": \#($0), "pad": "\#(String(repeating: "x", count: 100))"}"# }.joined(separator: ",") + "]"
        let elements = try #require(try split(body, batchBytes: 250))
        let batches = try decoded(elements)
        #expect(batches.map(\.count) == [3, 3, 3, 1])
        #expect(batches.flatMap { $0 }.map { $0["id"].int } == Array(1...10))
    }

    @Test(arguments: ["[]", " [ ] ", "[\n]\n"])
    func anEmptyArrayHasNoBatches(body: String) throws {
        let elements = try #require(try split(body))
        #expect(elements.count == 0)
        #expect(elements.batchCount == 0)
    }

    @Test(arguments: [#"{"users": [1, 2]}"#, "<html><body>503</body></html>", "", "  ", "42"])
    func aBodyThatIsNotAnArrayIsLeftToTheWholeParse(body: String) throws {
        #expect(try split(body) == nil)
    }

    /// Every cut of a valid array, however it falls (inside a string, after an
    /// escape, between elements), is found before anything is decoded.
    @Test func everyTruncationIsMalformed() throws {
        let bytes = Array(Self.tricky.utf8)
        let end = bytes.lastIndex(of: UInt8(ascii: "]"))!
        let start = bytes.firstIndex(of: UInt8(ascii: "["))!
        for length in (start + 1)...end {
            #expect(throws: JSONArrayElements.Malformed.self, "cut after \(length) bytes") {
                _ = try JSONArrayElements(Data(bytes[..<length]))
            }
        }
    }

    @Test(arguments: [
        #"[{"a": 1} {"b": 2}]"#, #"[1,]"#, #"[,1]"#, #"[1,,2]"#, #"[1] trailing"#, #"[1]]"#, #"[{"a": "unclosed}]"#,
        #"[{"a": [1, 2}]"#,
    ])
    func aGarbledOutlineIsMalformed(body: String) {
        #expect(throws: JSONArrayElements.Malformed.self) { _ = try split(body) }
    }

    /// The outline is right but an element is not JSON: the batch that holds it
    /// fails to decode, naming the records it starts at.
    @Test func aBadElementFailsItsBatch() async throws {
        let elements = try #require(try split(#"[{"id": 1}, {"id": 2}, {"id": tru}, {"id": 4}]"#, batchSize: 2))
        let records = PageRecords.elements(elements)
        var handled: [Int] = []
        do {
            try await records.forEachBatch { batch in handled += batch.compactMap { $0["id"].int } }
            Issue.record("the bad batch decoded")
        } catch let error as PageRecords.Undecodable {
            #expect(error.firstRecord == 3)
            #expect(error.description.hasPrefix("records from 3 on:"))
        }
        #expect(handled == [1, 2])
    }

    @Test func decodedRecordsAreOneBatch() async throws {
        let records = PageRecords.decoded([.integer(1), .integer(2)])
        var batches: [[JSONValue]] = []
        try await records.forEachBatch { batches.append($0) }
        #expect(batches == [[.integer(1), .integer(2)]])
        #expect(records.count == 2)
    }
}
