import Foundation

/// A response body that is a JSON array, split into its elements without
/// building a tree of them, so that a long list is decoded a batch at a time
/// (Streak's one unpaginated list of every user, Procore's 10,000-user pages)
/// and never exists whole as ``JSONValue``s.
///
/// The split reads the array's outline: strings and their escapes, the
/// nesting of brackets, one comma between elements and nothing but
/// whitespace after the closing bracket. A truncated or garbled array is
/// therefore found before any of its records is stored, and the request is
/// retried. What is inside an element is checked when its batch is decoded
/// (with the same tolerant decoding as a whole body).
struct JSONArrayElements: Sendable {
    /// Why a body that starts as an array is not a complete one.
    struct Malformed: Error, Sendable, CustomStringConvertible {
        /// What is wrong, with the byte offset.
        var description: String
    }

    /// Consecutive elements decoded together.
    private struct Batch: Sendable {
        /// The bytes of the elements and the commas between them.
        var bytes: Range<Int>
        /// The 0-based index of the first element.
        var firstElement: Int
    }

    /// The body.
    private let body: Data
    /// The batches, in order.
    private let batches: [Batch]
    /// The number of elements.
    let count: Int

    /// The most elements in one batch.
    static let batchSize = 1_000
    /// A batch ends after the element that reaches this many bytes, so large
    /// elements make smaller batches.
    static let batchBytes = 1 << 20

    /// Splits `body`; `nil` when it is not an array (an object that wraps the
    /// list, an error page). Throws ``Malformed`` when it starts as an array
    /// but is not a complete one.
    init?(_ body: Data, batchSize: Int = Self.batchSize, batchBytes: Int = Self.batchBytes) throws(Malformed) {
        let outline = body.withUnsafeBytes { bytes in
            Result { () throws(Malformed) in try Self.split(bytes, batchSize: max(1, batchSize), batchBytes: batchBytes) }
        }
        guard let (batches, count) = try outline.get() else { return nil }
        self.body = body
        self.batches = batches
        self.count = count
    }

    /// The number of batches.
    var batchCount: Int { batches.count }

    /// The 0-based index of the first element of batch `index`.
    func firstElement(ofBatch index: Int) -> Int { batches[index].firstElement }

    /// A digest of the elements' bytes: two pages with equal digests and
    /// counts hold the same records (a server that repeats a page).
    var contentDigest: Int {
        var hasher = Hasher()
        if let first = batches.first, let last = batches.last {
            hasher.combine(body[body.startIndex + first.bytes.lowerBound..<body.startIndex + last.bytes.upperBound])
        }
        return hasher.finalize()
    }

    /// Decodes the elements of batch `index`.
    func batch(_ index: Int) throws -> [JSONValue] {
        let range = batches[index].bytes
        var data = Data(capacity: range.count + 2)
        data.append(UInt8(ascii: "["))
        data.append(body[body.startIndex + range.lowerBound..<body.startIndex + range.upperBound])
        data.append(UInt8(ascii: "]"))
        return try JSONDecoder().decode([JSONValue].self, from: data)
    }

    // MARK: - The outline

    private static let openBracket = UInt8(ascii: "[")
    private static let closeBracket = UInt8(ascii: "]")
    private static let openBrace = UInt8(ascii: "{")
    private static let closeBrace = UInt8(ascii: "}")
    private static let quote = UInt8(ascii: "\"")
    private static let backslash = UInt8(ascii: "\\")
    private static let comma = UInt8(ascii: ",")

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    /// The batches and element count of the array in `bytes`; `nil` when the
    /// first thing in `bytes` is not `[`.
    private static func split(_ bytes: UnsafeRawBufferPointer, batchSize: Int, batchBytes: Int) throws(Malformed)
        -> ([Batch], Int)?
    {
        let end = bytes.count
        var index = skipWhitespace(bytes, from: 0)
        guard index < end, bytes[index] == openBracket else { return nil }
        index = skipWhitespace(bytes, from: index + 1)
        var batches: [Batch] = []
        var count = 0
        var batchStart: Int?
        var inBatch = 0
        var lastEnd = index
        if index < end, bytes[index] == closeBracket {
            index += 1
        } else {
            while true {
                let start = index
                index = try endOfValue(bytes, from: index)
                lastEnd = index
                count += 1
                inBatch += 1
                let first = batchStart ?? start
                batchStart = first
                if inBatch >= batchSize || index - first >= batchBytes {
                    batches.append(Batch(bytes: first..<index, firstElement: count - inBatch))
                    batchStart = nil
                    inBatch = 0
                }
                index = skipWhitespace(bytes, from: index)
                guard index < end else { throw truncated }
                if bytes[index] == comma {
                    index = skipWhitespace(bytes, from: index + 1)
                } else if bytes[index] == closeBracket {
                    index += 1
                    break
                } else {
                    throw Malformed(description: "expected ',' or ']' after element \(count) at byte \(index)")
                }
            }
        }
        if let batchStart { batches.append(Batch(bytes: batchStart..<lastEnd, firstElement: count - inBatch)) }
        guard skipWhitespace(bytes, from: index) == end else {
            throw Malformed(description: "text follows the array at byte \(index)")
        }
        return (batches, count)
    }

    private static var truncated: Malformed { Malformed(description: "the array ends before its closing ']'") }

    private static func skipWhitespace(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        var index = start
        while index < bytes.count, isWhitespace(bytes[index]) { index += 1 }
        return index
    }

    /// The index just after the value that starts at `start`.
    private static func endOfValue(_ bytes: UnsafeRawBufferPointer, from start: Int) throws(Malformed) -> Int {
        guard start < bytes.count else { throw truncated }
        switch bytes[start] {
        case quote:
            return try endOfString(bytes, from: start)
        case openBrace, openBracket:
            var depth = 0
            var index = start
            while index < bytes.count {
                switch bytes[index] {
                case quote:
                    index = try endOfString(bytes, from: index)
                    continue
                case openBrace, openBracket:
                    depth += 1
                case closeBrace, closeBracket:
                    depth -= 1
                    if depth == 0 { return index + 1 }
                default:
                    break
                }
                index += 1
            }
            throw truncated
        case comma, closeBracket, closeBrace:
            throw Malformed(description: "an element is missing at byte \(start)")
        default:
            // A number or a literal: it runs to the next separator.
            var index = start
            while index < bytes.count {
                let byte = bytes[index]
                if isWhitespace(byte) || byte == comma || byte == closeBracket { return index }
                index += 1
            }
            throw truncated
        }
    }

    /// The index just after the string whose opening quote is at `start`.
    private static func endOfString(_ bytes: UnsafeRawBufferPointer, from start: Int) throws(Malformed) -> Int {
        var index = start + 1
        while index < bytes.count {
            switch bytes[index] {
            case backslash: index += 2
            case quote: return index + 1
            default: index += 1
            }
        }
        throw truncated
    }
}
