import Crypto
import Foundation

/// SHA-256 digests as idgraph writes them: lower-case hex.
enum Digest {
    /// The SHA-256 of `data`.
    static func sha256(_ data: some DataProtocol) -> String { hex(SHA256.hash(data: data)) }

    /// The SHA-256 of the file at `url` and its size, read in 1 MiB pieces (a database copy is large).
    static func sha256(file url: URL) throws -> (sha256: String, bytes: Int) {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = SHA256()
        var bytes = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            bytes += chunk.count
        }
        return (hex(hasher.finalize()), bytes)
    }

    /// `bytes` in lower-case hex.
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
