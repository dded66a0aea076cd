import Foundation
import GRDB

/// A CSV file written row by row: RFC 4180 quoting, UTF-8, CRLF line ends,
/// every cell passed through the rule of ``formulaSafe(_:)`` (``CSVCell``).
///
/// Cells are encoded straight from their UTF-8 bytes into a 256 KiB buffer
/// that is flushed to the file when full, so a file of a million rows never
/// sits in memory whole and no cell becomes a `String` on the way.
final class CSVFile {
    private let output: BufferedFileOutput
    private let url: URL
    // Written for every cell: no run-time exclusivity check (one thread uses a file).
    @exclusivity(unchecked) private var rowStarted = false

    /// Creates (truncating) the file at `url` and writes its header row.
    init(url: URL, header: [String]) throws(ReportError) {
        self.url = url
        do {
            output = try BufferedFileOutput(url: url)
        } catch {
            throw ReportError(file: url.path, message: "The file cannot be created (\(error)). Check that the --out folder is writable and the disk is not full.")
        }
        try write(header)
    }

    /// Writes one row; `nil` cells are empty.
    func write(_ cells: [String?]) throws(ReportError) {
        beginRow()
        for text in cells {
            cell(text)
        }
        try endRow()
    }

    /// Writes the first `columns` columns of a database row as one CSV row,
    /// reading each value's bytes in place (integers as SQLite prints them).
    func write(_ row: Row, columns: Int) throws(ReportError) {
        beginRow()
        for index in 0..<columns {
            try cell(row, index)
        }
        try endRow()
    }

    /// Starts a row written cell by cell with the `cell` methods and ``endRow()``.
    func beginRow() {
        startRow()
        cells = 0
    }

    /// The next cell of the row: `nil` is empty.
    func cell(_ text: String?) {
        separate()
        guard var text else { return }
        text.withUTF8 { appendCell($0) }
    }

    /// The next cell of the row, from UTF-8 bytes; `nil` is empty.
    func cell(_ bytes: UnsafeBufferPointer<UInt8>?) {
        separate()
        if let bytes { appendCell(bytes) }
    }

    /// The next cell of the row: `strings` as a compact JSON array
    /// (`["a","b"]`, as SQLite's `json_group_array` writes it), quoted for CSV.
    /// It starts with `[`, so it is never read as a formula.
    func jsonArrayCell(_ strings: some Sequence<String>) {
        separate()
        scratch.append(UInt8(ascii: "["))
        var first = true
        for string in strings {
            if !first { scratch.append(UInt8(ascii: ",")) }
            first = false
            JSONString.append(string, to: scratch)
        }
        scratch.append(UInt8(ascii: "]"))
        scratch.drain { CSVCell.append($0, neutralizingFormulas: false, to: output) }
    }

    /// Where a JSON cell is assembled before it is quoted.
    private let scratch = BufferedFileOutput()

    /// The next cell of the row: column `column` of a database row, read in
    /// place (integers as SQLite prints them).
    func cell(_ row: Row, _ column: Int) throws(ReportError) {
        separate()
        do {
            try row.withUnsafeData(atIndex: column) { data in
                data?.withUnsafeBytes { raw in appendCell(raw.bindMemory(to: UInt8.self)) }
            }
        } catch {
            throw ReportError(file: url.path, message: "A value could not be read (\(error)).")
        }
    }

    /// Ends a row started with ``beginRow()``.
    func endRow() throws(ReportError) {
        try check()
    }

    @exclusivity(unchecked) private var cells = 0

    private func separate() {
        if cells > 0 { output.append(UInt8(ascii: ",")) }
        cells += 1
    }

    /// Ends the last row with CRLF, flushes and closes the file.
    func close() throws(ReportError) {
        output.append(13)
        output.append(10)
        output.close()
        try check()
    }

    // Rows are separated by CRLF; the last one is ended by `close()`.
    private func startRow() {
        if rowStarted {
            output.append(13)
            output.append(10)
        }
        rowStarted = true
    }

    private func check() throws(ReportError) {
        if let failure = output.failure {
            throw ReportError(file: url.path, message: "Writing failed (\(failure)). Check that the --out folder is writable and the disk is not full.")
        }
    }

    private func appendCell(_ bytes: UnsafeBufferPointer<UInt8>) {
        CSVCell.append(bytes, to: output)
    }
}
