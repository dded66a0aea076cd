import CSV
import Foundation
import GRDB

/// How `idgraph query` prints rows.
public enum QueryFormat: String, Sendable, CaseIterable {
    /// Aligned columns for a terminal.
    case table
    /// RFC 4180 CSV with a header row; text cells neutralised against formulas.
    case csv
    /// A JSON array of objects, one per row, keys in column order.
    case json

    /// `result` rendered in this format.
    public func render(_ result: QueryResult) -> String {
        switch self {
        case .table: Self.table(result)
        case .csv: Self.csv(result)
        case .json: Self.json(result)
        }
    }

    static func text(_ value: DatabaseValue) -> String? {
        switch value.storage {
        case .null: nil
        case .int64(let v): String(v)
        case .double(let v): String(v)
        case .string(let v): v
        case .blob(let v): "<\(v.count) bytes>"
        }
    }

    static func table(_ result: QueryResult) -> String {
        let cells = result.rows.map { row in
            // Newlines and tabs as before; every other control, and bidirectional overrides, shown visibly.
            row.map {
                TerminalText.escaped(
                    (text($0) ?? "").replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\t", with: " "))
            }
        }
        var widths = result.columns.map(\.count)
        for row in cells {
            for (i, cell) in row.enumerated() where cell.count > widths[i] { widths[i] = min(cell.count, 60) }
        }
        func line(_ values: [String]) -> String {
            values.enumerated().map { i, value in
                let clipped = value.count > widths[i] ? String(value.prefix(widths[i] - 1)) + "…" : value
                return clipped.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        var lines = [line(result.columns), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        lines += cells.map(line)
        lines.append("(\(result.rows.count) row\(result.rows.count == 1 ? "" : "s"))")
        return lines.joined(separator: "\n") + "\n"
    }

    static func csv(_ result: QueryResult) -> String {
        let stream = OutputStream(toMemory: ())
        stream.open()
        defer { stream.close() }
        do {
            let writer = try CSVWriter(stream: stream, newline: .crlf)
            try writer.write(row: result.columns.map(formulaSafe))
            for row in result.rows {
                try writer.write(row: row.map { value in
                    if case .string(let text) = value.storage { return formulaSafe(text) }
                    return text(value) ?? ""
                })
            }
            writer.stream.close()
        } catch {
            return ""
        }
        let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
        return String(decoding: data, as: UTF8.self) + (result.rows.isEmpty && result.columns.isEmpty ? "" : "\r\n")
    }

    static func json(_ result: QueryResult) -> String {
        var out = "["
        for (r, row) in result.rows.enumerated() {
            out += r == 0 ? "\n  {" : ",\n  {"
            for (i, value) in row.enumerated() {
                if i > 0 { out += ", " }
                out += jsonString(result.columns[i]) + ": "
                switch value.storage {
                case .null: out += "null"
                case .int64(let v): out += String(v)
                case .double(let v): out += v.isFinite ? String(v) : "null"
                case .string(let v): out += jsonString(v)
                case .blob(let v): out += jsonString(v.base64EncodedString())
                }
            }
            out += "}"
        }
        return out + (result.rows.isEmpty ? "]\n" : "\n]\n")
    }

    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
