import Foundation
import GRDB

/// A CSV file written row by row: RFC 4180 quoting, UTF-8, CRLF line ends,
/// every cell passed through the rule of ``formulaSafe(_:)``.
///
/// Cells are encoded straight from their UTF-8 bytes into a 256 KiB buffer
/// that is flushed to the file when full, so a file of a million rows never
/// sits in memory whole and no cell becomes a `String` on the way.
final class CSVFile {
    private let output: BufferedFileOutput
    private let url: URL
    private var rowStarted = false

    /// Creates (truncating) the file at `url` and writes its header row.
    init(url: URL, header: [String]) throws(ReportError) {
        self.url = url
        do {
            output = try BufferedFileOutput(url: url)
        } catch {
            throw ReportError(file: url.path, message: "The file cannot be created (\(error)). Check that the --out folder is writable and the disk is not full.")
        }
        output.open()
        try write(header)
    }

    /// Writes one row; `nil` cells are empty.
    func write(_ cells: [String?]) throws(ReportError) {
        startRow()
        for (index, cell) in cells.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            guard var cell else { continue }
            cell.withUTF8 { appendCell($0) }
        }
        try check()
    }

    /// Writes the first `columns` columns of a database row as one CSV row,
    /// reading each value's bytes in place (integers as SQLite prints them).
    func write(_ row: Row, columns: Int) throws(ReportError) {
        startRow()
        for index in 0..<columns {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            do {
                try row.withUnsafeData(atIndex: index) { data in
                    data?.withUnsafeBytes { raw in appendCell(raw.bindMemory(to: UInt8.self)) }
                }
            } catch {
                throw ReportError(file: url.path, message: "A value could not be read (\(error)).")
            }
        }
        try check()
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

    /// One cell: `'` before a formula start, quoted when it holds a comma,
    /// quote or line break, quotes doubled.
    private func appendCell(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let first = bytes.first else { return }
        let formula = first == UInt8(ascii: "=") || first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
            || first == UInt8(ascii: "@") || first == 9 || first == 13
        var quoted = false
        for byte in bytes where byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == 10 || byte == 13 {
            quoted = true
            break
        }
        guard quoted else {
            if formula { output.append(UInt8(ascii: "'")) }
            output.append(bytes)
            return
        }
        output.append(UInt8(ascii: "\""))
        if formula { output.append(UInt8(ascii: "'")) }
        var start = 0
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\"") {
            output.append(UnsafeBufferPointer(rebasing: bytes[start...index]))
            output.append(UInt8(ascii: "\""))
            start = index + 1
        }
        output.append(UnsafeBufferPointer(rebasing: bytes[start...]))
        output.append(UInt8(ascii: "\""))
    }
}

/// A file written through a 256 KiB buffer.
final class BufferedFileOutput {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var closed = false
    /// The first write error, if any.
    private(set) var failure: String?
    private static let capacity = 1 << 18

    init(url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteNoPermission)
        }
        handle = try FileHandle(forWritingTo: url)
        buffer.reserveCapacity(Self.capacity)
    }

    /// Kept for the callers that open streams; the file is open from `init`.
    func open() {}

    func append(_ byte: UInt8) {
        buffer.append(byte)
        if buffer.count >= Self.capacity { flush() }
    }

    func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.capacity { flush() }
    }

    func append(_ text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    /// Writes `length` bytes at `bytes`; returns `length`, or -1 after a failure.
    @discardableResult
    func write(_ bytes: UnsafePointer<UInt8>, maxLength length: Int) -> Int {
        guard failure == nil else { return -1 }
        append(UnsafeBufferPointer(start: bytes, count: length))
        return failure == nil ? length : -1
    }

    func close() {
        guard !closed else { return }
        flush()
        try? handle.close()
        closed = true
    }

    private func flush() {
        guard !buffer.isEmpty, failure == nil else {
            buffer.removeAll(keepingCapacity: true)
            return
        }
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            failure = "\(error)"
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
