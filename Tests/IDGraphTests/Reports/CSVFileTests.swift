import CSV
import Foundation
@testable import IDGraph
import Testing

/// The streaming CSV writer behind findings.csv and accounts.csv, read back
/// with the CSV library.
@Suite struct CSVFileTests {
    private func readBack(_ write: (CSVFile) throws -> Void) throws -> [[String]] {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("idgraph-csvfile-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        let file = try CSVFile(url: url, header: ["a", "b"])
        try write(file)
        try file.close()
        let reader = try CSVReader(string: try String(contentsOf: url, encoding: .utf8), hasHeaderRow: true)
        var rows: [[String]] = []
        while let row = reader.next() { rows.append(row) }
        return rows
    }

    @Test func jsonArrayCellsDecodeToTheirStrings() throws {
        let names = ["plain", "quote \" inside", "back\\slash", "line\nbreak\r\ttab", "bell \u{7} and nul \u{0}", "=1+1", "", "张伟 \u{2028}"]
        let rows = try readBack { file in
            for count in [0, 1, names.count] {
                file.beginRow()
                file.cell(String(count))
                file.jsonArrayCell(names.prefix(count))
                try file.endRow()
            }
        }
        #expect(rows.map(\.first) == ["0", "1", String(names.count)])
        #expect(rows[0][1] == "[]")
        for (row, count) in zip(rows, [0, 1, names.count]) {
            let decoded = try JSONDecoder().decode([String].self, from: Data(row[1].utf8))
            #expect(decoded == Array(names.prefix(count)))
        }
    }

    @Test func cellsAreNeutralisedAndQuoted() throws {
        let rows = try readBack { file in
            file.beginRow()
            file.cell("=HYPERLINK(\"x\")")
            file.cell("a, \"b\"\nc")
            try file.endRow()
        }
        #expect(rows == [["'=HYPERLINK(\"x\")", "a, \"b\"\nc"]])
    }

    /// The cells of every report and of `query --format csv` follow the one rule of `formulaSafe`.
    @Test(arguments: ["=1+2", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "a=b", "2025-06-30", "'quoted", " padded\t", "a,b"])
    func cellsFollowTheFormulaRule(input: String) throws {
        let rows = try readBack { file in try file.write([input, "x"]) }
        #expect(rows == [[formulaSafe(input), "x"]])
    }
}
