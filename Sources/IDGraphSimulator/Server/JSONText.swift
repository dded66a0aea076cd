import IDGraph

/// Builds JSON text by hand, so the simulator controls key order, `null` versus a missing key,
/// and number forms exactly as each vendor serves them (and encodes half a million users quickly).
struct JSONObject {
    private var body = ""

    private mutating func member(_ key: String, _ json: String) {
        body += body.isEmpty ? "\"" : ",\""
        body += key  // keys are the simulator's own constants: no escaping needed
        body += "\":"
        body += json
    }

    /// A string value, or `null` when nil.
    mutating func string(_ key: String, _ value: String?) {
        member(key, value.map(JSONString.quoted) ?? "null")
    }

    /// An integer value, or `null` when nil.
    mutating func int(_ key: String, _ value: Int?) {
        member(key, value.map(String.init) ?? "null")
    }

    /// A Boolean value.
    mutating func bool(_ key: String, _ value: Bool) {
        member(key, value ? "true" : "false")
    }

    /// Already-encoded JSON.
    mutating func raw(_ key: String, _ json: String) {
        member(key, json)
    }

    /// A timestamp in its planted form; a `.missing` timestamp leaves the key out.
    mutating func timestamp(_ key: String, _ value: SimulatedTimestamp) {
        if let json = value.jsonValue { raw(key, json) }
    }

    /// The object's text.
    var text: String { "{" + body + "}" }
}

/// JSON helpers.
enum JSONText {
    /// A JSON array of already-encoded elements.
    static func array<S: Sequence>(_ elements: S) -> String where S.Element == String {
        "[" + elements.joined(separator: ",") + "]"
    }
}
