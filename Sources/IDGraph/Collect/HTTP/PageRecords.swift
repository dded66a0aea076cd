import Foundation

/// A successful body of a list endpoint: the array of records itself, split
/// but not decoded, or any other JSON value (an object that wraps the list).
enum PageBody: Sendable {
    /// The body is the array of records.
    case elements(JSONArrayElements)
    /// The body is another JSON value, decoded whole.
    case value(JSONValue)

    /// Reads `data`; throws when it is not complete JSON, so that the page is fetched again.
    init(_ data: Data) throws {
        if let elements = try JSONArrayElements(data) {
            self = .elements(elements)
        } else {
            self = .value(try JSONValue.parse(data))
        }
    }
}

/// The records of one page, handed on a batch at a time.
enum PageRecords: Sendable {
    /// Records still to decode, from a body that is the array itself.
    case elements(JSONArrayElements)
    /// Records decoded with the body that wraps them.
    case decoded([JSONValue])

    /// A batch of records that is not valid JSON although the array's outline is.
    struct Undecodable: Error, CustomStringConvertible {
        /// The 1-based number of the batch's first record.
        var firstRecord: Int
        /// What the decoder said.
        var reason: String

        var description: String { "records from \(firstRecord) on: \(reason)" }
    }

    /// How many records the page holds.
    var count: Int {
        switch self {
        case .elements(let elements): elements.count
        case .decoded(let records): records.count
        }
    }

    /// Hands the records to `body` in order, a batch at a time (decoded records
    /// in one batch: they are in memory already); throws
    /// ``Undecodable`` for a batch that cannot be decoded, and whatever `body` throws.
    func forEachBatch(_ body: ([JSONValue]) async throws -> Void) async throws {
        switch self {
        case .elements(let elements):
            for index in 0..<elements.batchCount {
                try await body(try decoded(batch: index, of: elements))
            }
        case .decoded(let records):
            if !records.isEmpty { try await body(records) }
        }
    }

    private func decoded(batch index: Int, of elements: JSONArrayElements) throws(Undecodable) -> [JSONValue] {
        do {
            return try elements.batch(index)
        } catch {
            throw Undecodable(firstRecord: elements.firstElement(ofBatch: index) + 1, reason: Self.reason(error))
        }
    }

    /// The decoder's words, without the coding path of an untyped value.
    private static func reason(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error { return context.debugDescription }
        return "\(error)"
    }
}
