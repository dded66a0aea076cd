import Foundation

/// A small HTML tokenizer for tests: the tags (with attributes) and the
/// decoded text of a page, following the HTML rules that matter for
/// injection: tags start with `<` and a letter, attribute values are quoted or
/// bare, and `<script>`/`<style>` hold raw text up to their end tag.
struct HTMLScanner {
    struct Tag {
        var name: String
        var attributes: [(name: String, value: String)]
        var isEnd: Bool
    }

    private(set) var tags: [Tag] = []
    private(set) var texts: [String] = []
    private(set) var rawTexts: [String] = []

    init(_ html: String) {
        let s = Array(html.unicodeScalars)
        var i = 0
        var text = ""
        func flushText() {
            if !text.isEmpty { texts.append(Self.decode(text)) }
            text = ""
        }
        func isLetter(_ c: Unicode.Scalar) -> Bool { c.properties.isAlphabetic && c.isASCII }
        while i < s.count {
            if s[i] == "<", i + 1 < s.count, isLetter(s[i + 1]) || (s[i + 1] == "/" && i + 2 < s.count && isLetter(s[i + 2])) {
                flushText()
                var j = i + 1
                let isEnd = s[j] == "/"
                if isEnd { j += 1 }
                var name = ""
                while j < s.count, !s[j].properties.isWhitespace, s[j] != ">", s[j] != "/" {
                    name.unicodeScalars.append(s[j]); j += 1
                }
                var attributes: [(String, String)] = []
                while j < s.count, s[j] != ">" {
                    if s[j].properties.isWhitespace || s[j] == "/" { j += 1; continue }
                    var attr = ""
                    while j < s.count, !s[j].properties.isWhitespace, s[j] != "=", s[j] != ">" {
                        attr.unicodeScalars.append(s[j]); j += 1
                    }
                    var value = ""
                    if j < s.count, s[j] == "=" {
                        j += 1
                        if j < s.count, s[j] == "\"" || s[j] == "'" {
                            let quote = s[j]; j += 1
                            while j < s.count, s[j] != quote { value.unicodeScalars.append(s[j]); j += 1 }
                            j += 1
                        } else {
                            while j < s.count, !s[j].properties.isWhitespace, s[j] != ">" {
                                value.unicodeScalars.append(s[j]); j += 1
                            }
                        }
                    }
                    if !attr.isEmpty { attributes.append((attr.lowercased(), Self.decode(value))) }
                }
                i = j + 1
                let lower = name.lowercased()
                tags.append(Tag(name: lower, attributes: attributes, isEnd: isEnd))
                if !isEnd, lower == "script" || lower == "style" {
                    // Raw text: runs to the first "</script" or "</style", whatever it looks like.
                    let end = "</" + lower
                    var raw = ""
                    while i < s.count {
                        if s[i] == "<", String(String.UnicodeScalarView(s[i..<min(s.count, i + end.count)])).lowercased() == end {
                            break
                        }
                        raw.unicodeScalars.append(s[i]); i += 1
                    }
                    rawTexts.append(raw)
                }
            } else {
                text.unicodeScalars.append(s[i])
                i += 1
            }
        }
        flushText()
    }

    /// Text with the character references the report uses decoded.
    static func decode(_ text: String) -> String {
        var out = text
        for (entity, value) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&#x27;", "'")] {
            out = out.replacingOccurrences(of: entity, with: value)
        }
        return out.replacingOccurrences(of: "&amp;", with: "&")
    }
}
