import Foundation

/// A JSON value read tolerantly: the accessors accept what real APIs send
/// instead of what their documents promise (numbers as strings, strings as
/// numbers, booleans as `0`/`1`/`"true"`, `null` or a missing field for
/// "unknown").
///
/// A missing key reads as ``null``, so `user["profile"]["email"].string` is
/// `nil` rather than a crash when any part is absent.
enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Parses a whole response body; throws when it is not JSON (a truncated
    /// page, an HTML error page).
    static func parse(_ data: Data) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: data)
    }

    /// The member `key` of an object; ``null`` for anything else or a missing key.
    subscript(key: String) -> JSONValue {
        if case .object(let members) = self { return members[key] ?? .null }
        return .null
    }

    /// The first of `keys` that is present and not null.
    func first(_ keys: String...) -> JSONValue {
        for key in keys where !self[key].isNull { return self[key] }
        return .null
    }

    /// Whether the value is `null` (or was missing).
    var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// Text, trimmed; numbers and booleans as their JSON spelling; `nil` for
    /// null, empty text, arrays and objects.
    var string: String? {
        switch self {
        case .string(let text):
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.isEmpty ? nil : trimmed
        case .integer(let value): return String(value)
        case .number(let value):
            if value.rounded() == value, abs(value) < 9e15 { return String(Int64(value)) }
            return String(value)
        case .bool(let value): return value ? "true" : "false"
        case .null, .array, .object: return nil
        }
    }

    /// Text exactly as sent (an email or a name keeps its spaces and case);
    /// `nil` for null, blank text and anything that is not text.
    var text: String? {
        if case .string(let text) = self, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return text }
        return nil
    }

    /// An identifier as text: `42`, `42.0` and `"42"` are all `"42"`.
    var id: String? { string }

    /// A whole number from a number or numeric text.
    var int: Int? {
        switch self {
        case .integer(let value): return Int(exactly: value)
        case .number(let value): return value.rounded() == value && abs(value) < 9e15 ? Int(value) : nil
        case .string: return string.flatMap { Int($0) ?? Double($0).flatMap { Int(exactly: $0) } }
        default: return nil
        }
    }

    /// A truth value from `true`/`false`, `1`/`0`, or text such as `"true"`, `"yes"`, `"1"`.
    var bool: Bool? {
        switch self {
        case .bool(let value): return value
        case .integer(let value): return value != 0
        case .number(let value): return value != 0
        case .string:
            switch string?.lowercased() {
            case "true", "t", "yes", "y", "1", "on": return true
            case "false", "f", "no", "n", "0", "off": return false
            default: return nil
            }
        default: return nil
        }
    }

    /// A timestamp in any form ``Timestamp/parse(_:)`` reads: epoch seconds or
    /// milliseconds (number or text), ISO 8601, Laravel `YYYY-MM-DD HH:MM:SS`.
    var date: Date? {
        switch self {
        case .integer(let value): return Timestamp.date(fromEpoch: Double(value))
        case .number(let value): return Timestamp.date(fromEpoch: value)
        case .string: return string.flatMap(Timestamp.parse)
        default: return nil
        }
    }

    /// The elements of an array; `nil` for anything else.
    var array: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The members of an object; `nil` for anything else.
    var object: [String: JSONValue]? {
        if case .object(let members) = self { return members }
        return nil
    }
}

extension JSONValue: Decodable {
    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }
}

/// The names of the fields a ``PickedRecord`` keeps.
protocol PickedKeys {
    /// The keys kept.
    static var names: Set<String> { get }
}

/// A JSON object of which only the fields named by `Keys` are kept, each decoded tolerantly as a small
/// ``JSONValue``: a large list decoded through it never builds a tree of the fields nobody reads.
struct PickedRecord<Keys: PickedKeys>: Decodable, Sendable {
    /// The kept fields, as an object.
    var value: JSONValue

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        var fields: [String: JSONValue] = [:]
        for key in container.allKeys where Keys.names.contains(key.stringValue) {
            fields[key.stringValue] = try container.decode(JSONValue.self, forKey: key)
        }
        value = .object(fields)
    }
}

/// Any key of a JSON object.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
