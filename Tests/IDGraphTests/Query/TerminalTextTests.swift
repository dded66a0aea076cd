import Foundation
import GRDB
import Testing

@testable import IDGraph

/// Text from data never acts on the terminal it is printed to.
@Suite struct TerminalTextTests {
    @Test(arguments: [
        ("\u{1B}]0;pwned\u{07}Ann", "<U+001B>]0;pwned<U+0007>Ann"),
        ("\u{1B}[2J\u{1B}[31mred", "<U+001B>[2J<U+001B>[31mred"),
        ("admin\u{202E}nimda", "admin<U+202E>nimda"),
        ("a\u{0}b\u{7F}c\u{9B}d", "a<U+0000>b<U+007F>c<U+009B>d"),
        ("José García 日本", "José García 日本"),
    ])
    func controlsAreShownNotApplied(input: String, expected: String) {
        #expect(TerminalText.escaped(input) == expected)
    }

    @Test func queryTablesEscapeWhatTheyPrint() {
        let result = QueryResult(columns: ["name"], rows: [["\u{1B}[31mEve\u{202E}".databaseValue]])
        let table = QueryFormat.table.render(result)
        #expect(!table.unicodeScalars.contains { TerminalText.isUnsafe($0) && $0 != "\n" })
        #expect(table.contains("<U+001B>[31mEve<U+202E>"))
    }
}
