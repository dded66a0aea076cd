/// The one encoding of a JSON string (RFC 8259), written from UTF-8 bytes straight into a buffered
/// output: quotes, backslashes and controls escaped, and U+2028 and U+2029 too, so that the text is
/// also a JavaScript literal.
///
/// `inScript` makes it safe inside an HTML `<script>` element as well: `<`, `>`, `&` and every
/// control as `\u00XX`, so no value can end the element, and a bidirectional control shown as the
/// text `<U+202E>` instead of applied (``TerminalText``).
package enum JSONString {
    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `text` as a JSON string.
    package static func append(_ text: String, inScript: Bool = false, to output: BufferedFileOutput) {
        var text = text
        text.withUTF8 { append($0, inScript: inScript, to: output) }
    }

    /// Appends valid UTF-8 `bytes` as a JSON string.
    package static func append(_ bytes: UnsafeBufferPointer<UInt8>, inScript: Bool = false, to output: BufferedFileOutput) {
        output.append(UInt8(ascii: "\""))
        var start = 0
        var index = 0
        func escape(_ replacement: StaticString, skipping count: Int) {
            output.append(UnsafeBufferPointer(rebasing: bytes[start..<index]))
            output.append(replacement)
            index += count
            start = index
        }
        func escapeAsCode(_ byte: UInt8) {
            escape("\\u00", skipping: 0)
            output.append(hex[Int(byte >> 4)])
            output.append(hex[Int(byte & 15)])
            index += 1
            start = index
        }
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""): escape("\\\"", skipping: 1)
            case UInt8(ascii: "\\"): escape("\\\\", skipping: 1)
            case 0x0A where !inScript: escape("\\n", skipping: 1)
            case 0x0D where !inScript: escape("\\r", skipping: 1)
            case 0x09 where !inScript: escape("\\t", skipping: 1)
            case 0..<0x20: escapeAsCode(byte)
            case UInt8(ascii: "<") where inScript, UInt8(ascii: ">") where inScript, UInt8(ascii: "&") where inScript:
                escapeAsCode(byte)
            case 0xE2 where index + 2 < bytes.count && bytes[index + 1] == 0x80 && bytes[index + 2] == 0xA8:
                escape("\\u2028", skipping: 3)
            case 0xE2 where index + 2 < bytes.count && bytes[index + 1] == 0x80 && bytes[index + 2] == 0xA9:
                escape("\\u2029", skipping: 3)
            case 0xE2 where inScript && index + 2 < bytes.count && isBidiControl(bytes[index + 1], bytes[index + 2]):
                let scalar = UInt32(0x2000) | UInt32(bytes[index + 1] & 0x3F) << 6 | UInt32(bytes[index + 2] & 0x3F)
                output.append(UnsafeBufferPointer(rebasing: bytes[start..<index]))
                output.append("\\u003cU+\(String(scalar, radix: 16, uppercase: true))\\u003e")
                index += 3
                start = index
            default:
                index += 1
            }
        }
        output.append(UnsafeBufferPointer(rebasing: bytes[start...]))
        output.append(UInt8(ascii: "\""))
    }

    /// `text` as a JSON string, for JSON built as text.
    package static func quoted(_ text: String) -> String {
        // Most values (ids, emails, ordinary names) need no escaping at all.
        let escaped = text.utf8.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
            || (text.utf8.contains(0xE2) && text.unicodeScalars.contains { $0 == "\u{2028}" || $0 == "\u{2029}" })
        if !escaped {
            return "\"" + text + "\""
        }
        let output = BufferedFileOutput()
        append(text, to: output)
        output.close()
        return String(decoding: output.written, as: UTF8.self)
    }

    /// Whether `E2 second third` encodes a bidirectional control (U+200E/F, U+202A–202E, U+2066–2069).
    static func isBidiControl(_ second: UInt8, _ third: UInt8) -> Bool {
        if second == 0x80 { return (0xAA...0xAE).contains(third) || third == 0x8E || third == 0x8F }
        if second == 0x81 { return (0xA6...0xA9).contains(third) }
        return false
    }
}
