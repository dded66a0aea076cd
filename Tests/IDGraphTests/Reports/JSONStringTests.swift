import Foundation
@testable import IDGraph
import Testing

/// The one JSON string encoding: the query's JSON, the page's data, accounts.csv's memberships and
/// the simulated vendors' bodies all decode back to the text they were given.
@Suite struct JSONStringTests {
    static let texts = [
        "", "plain", "quote \" inside", "back\\slash", "line\nbreak\r\ttab", "bell \u{7} and nul \u{0}",
        "</script><b>&amp;", "张伟 \u{2028}\u{2029}", "O’Brien — ok",
    ]

    @Test(arguments: texts)
    func quotedTextDecodesToItself(text: String) throws {
        let quoted = JSONString.quoted(text)
        #expect(try JSONDecoder().decode(String.self, from: Data(quoted.utf8)) == text)
        #expect(!quoted.contains("\u{2028}") && !quoted.contains("\u{2029}"))
    }

    @Test(arguments: texts)
    func scriptTextHasNothingThatEndsTheElement(text: String) throws {
        let output = BufferedFileOutput()
        JSONString.append(text, inScript: true, to: output)
        output.close()
        let json = String(decoding: output.written, as: UTF8.self)
        #expect(try JSONDecoder().decode(String.self, from: Data(json.utf8)) == text)
        #expect(!json.dropFirst().dropLast().contains { "<>&\u{2028}\u{2029}".contains($0) })
    }

    @Test func scriptTextShowsBidirectionalControls() throws {
        let output = BufferedFileOutput()
        JSONString.append("a\u{202E}b", inScript: true, to: output)
        output.close()
        #expect(try JSONDecoder().decode(String.self, from: output.written) == "a<U+202E>b")
    }
}
