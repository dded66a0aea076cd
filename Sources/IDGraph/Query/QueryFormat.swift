import Foundation
import GRDB

/// How `idgraph query` prints rows.
public enum QueryFormat: String, Sendable, CaseIterable {
    /// Aligned columns for a terminal; the widths come from the first ``QueryWriter/tableSampleRows`` rows.
    case table
    /// RFC 4180 CSV with a header row; text cells neutralised against formulas.
    case csv
    /// A JSON array of objects, one per row, keys in column order.
    case json

    /// `result` rendered in this format.
    public func render(_ result: QueryResult) -> String {
        let output = BufferedFileOutput()
        let writer = QueryWriter(format: self, columns: result.columns, output: output)
        for row in result.rows {
            writer.write(row)
        }
        writer.finish()
        output.close()
        return String(decoding: output.written, as: UTF8.self)
    }
}

/// One value of a result row, read in place: text and blob bytes are valid only while the row is.
enum QueryValue {
    case null
    case integer(Int64)
    case real(Double)
    case text(UnsafeBufferPointer<UInt8>)
    case blob(UnsafeRawBufferPointer)
}

/// A row a ``QueryWriter`` can read value by value.
protocol QueryRowValues {
    /// Calls `body` with the value of column `index`.
    func withValue(at index: Int, _ body: (QueryValue) -> Void)
}

extension [DatabaseValue]: QueryRowValues {
    func withValue(at index: Int, _ body: (QueryValue) -> Void) {
        switch self[index].storage {
        case .null: body(.null)
        case .int64(let v): body(.integer(v))
        case .double(let v): body(.real(v))
        case .string(var v): v.withUTF8 { body(.text($0)) }
        case .blob(let v): v.withUnsafeBytes { body(.blob($0)) }
        }
    }
}

/// Writes the rows of a query in one format as they arrive, to a buffered output.
///
/// CSV and JSON hold no row: each is written as it is read. A table needs its column widths before
/// its first line, so it holds its first ``tableSampleRows`` rows, sizes the columns on them (at most
/// ``widestColumn`` characters, or the column name's length) and then streams the rest. A value
/// longer than ``widestColumn`` is cut and ends in `…`, as it always was; a later value longer than
/// its column but within that cap is shown whole, and only its line is out of step. Memory stays
/// bounded however many rows there are.
final class QueryWriter {
    /// The rows a table sizes its columns on.
    static let tableSampleRows = 1_000
    /// The widest a table column grows for its values.
    static let widestColumn = 60

    private let format: QueryFormat
    private let columns: [String]
    private let output: BufferedFileOutput
    /// Rows written (or, for a table, taken) so far.
    private(set) var rows = 0
    /// JSON keys, each already written as `"name": `.
    private var keys: [[UInt8]] = []
    /// A table's first rows, as shown, until the widths are known.
    private var sample: [[String]] = []
    private var widths: [Int]?

    /// Starts writing `columns` in `format` to `output`.
    init(format: QueryFormat, columns: [String], output: BufferedFileOutput) {
        self.format = format
        self.columns = columns
        self.output = output
        switch format {
        case .csv:
            guard !columns.isEmpty else { return }
            for (i, name) in columns.enumerated() {
                if i > 0 { output.append(UInt8(ascii: ",")) }
                CSVCell.append(name, to: output)
            }
            output.append("\r\n" as StaticString)
        case .json:
            keys = columns.map { name in
                let key = BufferedFileOutput()
                JSONString.append(name, to: key)
                key.append(": " as StaticString)
                key.close()
                return [UInt8](key.written)
            }
            output.append(UInt8(ascii: "["))
        case .table:
            break
        }
    }

    /// Writes one row.
    func write(_ row: some QueryRowValues) {
        switch format {
        case .csv: writeCSV(row)
        case .json: writeJSON(row)
        case .table: writeTable(row)
        }
        rows += 1
    }

    /// Ends the output (the table's footer, the JSON array's bracket). The output is not closed.
    func finish() {
        switch format {
        case .csv:
            break
        case .json:
            output.append(rows == 0 ? "]\n" as StaticString : "\n]\n")
        case .table:
            if widths == nil { writeTableHead() }
            output.append("(\(rows) row\(rows == 1 ? "" : "s"))\n")
        }
    }

    // MARK: CSV

    private func writeCSV(_ row: some QueryRowValues) {
        for i in columns.indices {
            if i > 0 { output.append(UInt8(ascii: ",")) }
            row.withValue(at: i) { value in
                switch value {
                case .null: break
                case .integer(let v): output.append(decimal: Int(v))
                case .real(let v): CSVCell.append(String(v), neutralizingFormulas: false, to: output)
                case .text(let bytes): Self.withValidUTF8(bytes) { CSVCell.append($0, to: output) }
                case .blob(let bytes): output.append("<\(bytes.count) bytes>")
                }
            }
        }
        output.append("\r\n" as StaticString)
    }

    // MARK: JSON

    private func writeJSON(_ row: some QueryRowValues) {
        output.append(rows == 0 ? "\n  {" as StaticString : ",\n  {")
        for i in columns.indices {
            if i > 0 { output.append(", " as StaticString) }
            keys[i].withUnsafeBufferPointer { output.append($0) }
            row.withValue(at: i) { value in
                switch value {
                case .null: output.append("null" as StaticString)
                case .integer(let v): output.append(decimal: Int(v))
                case .real(let v): output.append(v.isFinite ? String(v) : "null")
                case .text(let bytes): Self.withValidUTF8(bytes) { JSONString.append($0, to: output) }
                case .blob(let bytes): JSONString.append(Data(bytes).base64EncodedString(), to: output)
                }
            }
        }
        output.append(UInt8(ascii: "}"))
    }

    /// `bytes` as they are when they are UTF-8 (SQLite stores any bytes as text); otherwise repaired,
    /// each bad sequence replaced by U+FFFD, so CSV and JSON output is always UTF-8.
    private static func withValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        if !bytes.contains(where: { $0 >= 0x80 }) || String(validating: bytes, as: UTF8.self) != nil {
            body(bytes)
        } else {
            var repaired = String(decoding: bytes, as: UTF8.self)
            repaired.withUTF8(body)
        }
    }

    // MARK: Table

    private func writeTable(_ row: some QueryRowValues) {
        var cells: [String] = []
        cells.reserveCapacity(columns.count)
        for i in columns.indices {
            row.withValue(at: i) { cells.append(Self.shown($0)) }
        }
        if widths != nil {
            writeTableLine(cells)
            return
        }
        sample.append(cells)
        if sample.count == Self.tableSampleRows { writeTableHead() }
    }

    /// Sizes the columns on the rows taken so far, then writes the head and those rows.
    private func writeTableHead() {
        let names = columns.map(TerminalText.escaped)
        var widths = names.map { max($0.count, 1) }
        for cells in sample {
            for (i, cell) in cells.enumerated() where cell.count > widths[i] {
                widths[i] = max(widths[i], min(cell.count, Self.widestColumn))
            }
        }
        self.widths = widths
        writeTableLine(names)
        writeTableLine(widths.map { String(repeating: "-", count: $0) })
        for cells in sample { writeTableLine(cells) }
        sample = []
    }

    private func writeTableLine(_ cells: [String]) {
        guard let widths else { return }
        var line = ""
        for (i, cell) in cells.enumerated() {
            if i > 0 { line += "  " }
            let width = widths[i]
            let count = cell.count
            // A later row's longer value is shown whole up to the cap (its line shifts), never cut to
            // the width of the first rows: 10000 must not read as "100…".
            let limit = max(width, Self.widestColumn)
            if count > limit {
                line += cell.prefix(limit - 1)
                line += "…"
            } else {
                line += cell
                if count < width { line += String(repeating: " ", count: width - count) }
            }
        }
        while line.last?.isWhitespace == true { line.removeLast() }
        output.append(line)
        output.append(UInt8(ascii: "\n"))
    }

    /// A value as a table shows it: line breaks as `\n`, tabs as spaces, and every other control and
    /// bidirectional override written visibly (``TerminalText``).
    static func shown(_ value: QueryValue) -> String {
        switch value {
        case .null: return ""
        case .integer(let v): return String(v)
        case .real(let v): return String(v)
        case .blob(let bytes): return "<\(bytes.count) bytes>"
        case .text(let bytes):
            let text = String(decoding: bytes, as: UTF8.self)
            guard text.utf8.contains(where: { $0 < 0x20 || $0 >= 0x7F }) else { return text }
            return TerminalText.escaped(
                text.replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\t", with: " "))
        }
    }
}
