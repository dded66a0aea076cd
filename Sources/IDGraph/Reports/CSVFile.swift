import CSV
import Foundation

/// A CSV file written row by row through CSV.swift: RFC 4180 quoting, UTF-8,
/// CRLF line ends, every cell passed through ``formulaSafe(_:)``.
///
/// Rows are buffered and written in blocks, so a file of a million rows never
/// sits in memory whole.
final class CSVFile {
    private let output: BufferedFileOutput
    private let writer: CSVWriter
    private let url: URL

    /// Creates (truncating) the file at `url` and writes its header row.
    init(url: URL, header: [String]) throws(ReportError) {
        self.url = url
        do {
            output = try BufferedFileOutput(url: url)
            writer = try CSVWriter(stream: output, newline: .crlf)
        } catch {
            throw ReportError(file: url.path, message: "The file cannot be created (\(error)). Check that the --out folder is writable and the disk is not full.")
        }
        try write(header)
    }

    /// Writes one row; `nil` cells are empty.
    func write(_ cells: [String?]) throws(ReportError) {
        do {
            try writer.write(row: cells.map { formulaSafe($0 ?? "") })
        } catch {
            throw ReportError(file: url.path, message: "Writing failed (\(output.failure ?? "\(error)")). Check that the --out folder is writable and the disk is not full.")
        }
    }

    /// Ends the last row with CRLF, flushes and closes the file.
    func close() throws(ReportError) {
        let newline: [UInt8] = [13, 10]
        _ = newline.withUnsafeBufferPointer { output.write($0.baseAddress!, maxLength: 2) }
        output.close()
        if let failure = output.failure {
            throw ReportError(file: url.path, message: "Writing failed (\(failure)). Check that the --out folder is writable and the disk is not full.")
        }
    }
}

/// An `OutputStream` that CSV.swift can write byte by byte, flushing to a file in 64 KiB blocks.
final class BufferedFileOutput: OutputStream {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var status: Stream.Status = .notOpen
    /// The first write error, if any.
    private(set) var failure: String?

    init(url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteNoPermission)
        }
        handle = try FileHandle(forWritingTo: url)
        buffer.reserveCapacity(1 << 16)
        super.init(toMemory: ())
    }

    @available(*, unavailable, message: "Use init(url:)")
    required init(toMemory: ()) {
        fatalError("BufferedFileOutput writes to a file: use init(url:)")
    }

    override func open() { status = .open }

    override var streamStatus: Stream.Status { status }

    override var hasSpaceAvailable: Bool { status == .open }

    override func write(_ bytes: UnsafePointer<UInt8>, maxLength length: Int) -> Int {
        guard failure == nil else { return -1 }
        buffer.append(contentsOf: UnsafeBufferPointer(start: bytes, count: length))
        if buffer.count >= 1 << 16 { flush() }
        return failure == nil ? length : -1
    }

    override func close() {
        guard status != .closed else { return }
        flush()
        try? handle.close()
        status = .closed
    }

    private func flush() {
        guard !buffer.isEmpty, failure == nil else { return }
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            failure = "\(error)"
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
