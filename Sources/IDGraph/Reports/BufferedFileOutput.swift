import Foundation

/// Output written through a 256 KiB buffer: a file, a stream such as stdout, or memory.
///
/// The buffer is raw memory rather than an array: appending a few bytes is a
/// copy and a count, with no exclusivity check or capacity test of an array
/// held by a class, which is most of the cost of writing a large report.
package final class BufferedFileOutput {
    /// Where full buffers go.
    private enum Destination {
        /// A file this output created, closed with it.
        case file(FileHandle)
        /// A stream that stays open (stdout).
        case stream(FileHandle)
        /// Kept in memory, for ``written``.
        case memory
    }

    private let destination: Destination
    private let buffer: UnsafeMutablePointer<UInt8>
    // Written for every append: no run-time exclusivity check (one thread uses a file).
    @exclusivity(unchecked) private var count = 0
    @exclusivity(unchecked) private var closed = false
    /// The first write error, if any.
    @exclusivity(unchecked) private(set) var failure: String?
    /// What a memory output holds.
    package private(set) var written = Data()
    private static let capacity = 1 << 18

    /// Creates (truncating) the file at `url`.
    init(url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteNoPermission)
        }
        destination = .file(try FileHandle(forWritingTo: url))
        buffer = .allocate(capacity: Self.capacity)
    }

    /// Writes to `handle` (stdout, a pipe), which ``close()`` flushes but leaves open.
    init(stream handle: FileHandle) {
        destination = .stream(handle)
        buffer = .allocate(capacity: Self.capacity)
    }

    /// Keeps everything in memory, in ``written``.
    package init() {
        destination = .memory
        buffer = .allocate(capacity: Self.capacity)
    }

    deinit {
        close()
        buffer.deallocate()
    }

    package func append(_ byte: UInt8) {
        if count == Self.capacity { flush() }
        buffer[count] = byte
        count += 1
    }

    package func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        if count + bytes.count > Self.capacity {
            flush()
            if bytes.count >= Self.capacity {
                write(UnsafeRawBufferPointer(bytes))
                return
            }
        }
        (buffer + count).update(from: base, count: bytes.count)
        count += bytes.count
    }

    package func append(_ text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    package func append(_ text: StaticString) {
        append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends `value` in decimal.
    func append(decimal value: Int) {
        if value >= 0 && value < 10 {
            append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: any Int fits
        withUnsafeMutableBytes(of: &digits) { raw in
            var position = raw.count
            var rest = value.magnitude
            repeat {
                position -= 1
                raw[position] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            if value < 0 {
                position -= 1
                raw[position] = UInt8(ascii: "-")
            }
            append(UnsafeBufferPointer(rebasing: raw.bindMemory(to: UInt8.self)[position...]))
        }
    }

    /// Writes `length` bytes at `bytes`; returns `length`, or -1 after a failure.
    @discardableResult
    func write(_ bytes: UnsafePointer<UInt8>, maxLength length: Int) -> Int {
        guard failure == nil else { return -1 }
        append(UnsafeBufferPointer(start: bytes, count: length))
        return failure == nil ? length : -1
    }

    package func close() {
        guard !closed else { return }
        flush()
        if case .file(let handle) = destination { try? handle.close() }
        closed = true
    }

    /// Hands what a memory output holds to `body` and empties it, so one output serves as scratch
    /// space again and again.
    func drain(_ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        if written.isEmpty {
            body(UnsafeBufferPointer(start: buffer, count: count))
        } else {
            flush()
            written.withUnsafeBytes { body($0.bindMemory(to: UInt8.self)) }
            written.removeAll(keepingCapacity: true)
        }
        count = 0
    }

    private func flush() {
        guard count > 0 else { return }
        write(UnsafeRawBufferPointer(start: buffer, count: count))
        count = 0
    }

    private func write(_ bytes: UnsafeRawBufferPointer) {
        guard failure == nil, !closed else { return }
        do {
            switch destination {
            case .file(let handle), .stream(let handle): try handle.write(contentsOf: bytes)
            case .memory: written.append(contentsOf: bytes)
            }
        } catch {
            failure = "\(error)"
        }
    }
}
