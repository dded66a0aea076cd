import AsyncHTTPClient
import Foundation
import IDGraphSimulator
import Testing

/// A whole listing read through a vendor's documented paging, and the pages it took.
struct Listed {
    var records: [[String: Any]] = []
    /// The number of records of each response, in order.
    var pageSizes: [Int] = []
    var requests: Int { pageSizes.count }
    /// The values of `key` in every record, as text (ids are strings or numbers depending on the vendor).
    func ids(_ key: String = "id") -> [String] { records.map { $0[key].map { "\($0)" } ?? "<none>" } }
}

/// Reads whole listings as each vendor documents its paging. Every reader gives up after
/// `maximumRequests` requests, so a paging bug fails the test instead of hanging it.
enum Paging {
    static let maximumRequests = 1_000

    static func separator(_ url: String) -> String { url.contains("?") ? "&" : "?" }

    /// Process Street v1.1: follows the `links[]` entry named `next` until there is none.
    static func processStreet(_ client: HTTPClient, _ url: String, headers: [(String, String)]) async throws -> Listed {
        var listed = Listed()
        var next: String? = url
        while let url = next {
            try #require(listed.requests < maximumRequests, "\(url): more than \(maximumRequests) pages")
            let reply = try await client.send(url, headers: headers)
            try #require(reply.status == 200, "\(url): \(reply.status) \(reply.body.prefix(300))")
            let users = reply.list("users")
            listed.records += users
            listed.pageSizes.append(users.count)
            next = reply.list("links").first { $0["name"] as? String == "next" }?["href"] as? String
        }
        return listed
    }

    /// SCIM: `startIndex` (from 1) advanced by the resources received, until `totalResults` is reached.
    static func scim(_ client: HTTPClient, _ url: String, count: Int, headers: [(String, String)]) async throws -> Listed {
        var listed = Listed()
        var start = 1
        while true {
            try #require(listed.requests < maximumRequests, "\(url): more than \(maximumRequests) pages")
            let reply = try await client.send(url + separator(url) + "startIndex=\(start)&count=\(count)", headers: headers)
            try #require(reply.status == 200, "\(url): \(reply.status) \(reply.body.prefix(300))")
            let resources = reply.list("Resources")
            let total = try #require(reply.object["totalResults"] as? Int)
            #expect(reply.object["itemsPerPage"] as? Int == resources.count)
            #expect(reply.object["startIndex"] as? Int == start)
            listed.records += resources
            listed.pageSizes.append(resources.count)
            start += resources.count
            if resources.isEmpty || start > total { break }
        }
        return listed
    }

    /// ProofHub: `start` (from 0) advanced by the records received, with `limit`, until an empty page.
    static func proofHub(_ client: HTTPClient, _ url: String, limit: Int, headers: [(String, String)]) async throws -> Listed {
        var listed = Listed()
        var start = 0
        while true {
            try #require(listed.requests < maximumRequests, "\(url): more than \(maximumRequests) pages")
            let reply = try await client.send(url + separator(url) + "start=\(start)&limit=\(limit)", headers: headers)
            try #require(reply.status == 200, "\(url): \(reply.status) \(reply.body.prefix(300))")
            let page = try #require(reply.json as? [[String: Any]], "\(url): not an array: \(reply.body.prefix(300))")
            listed.pageSizes.append(page.count)
            if page.isEmpty { break }
            listed.records += page
            start += page.count
        }
        return listed
    }

    /// ProcessMaker (Laravel): `page` from 1 to `meta.last_page` with `per_page`.
    static func processMaker(_ client: HTTPClient, _ url: String, perPage: Int, headers: [(String, String)]) async throws -> (listed: Listed, total: Int?) {
        var listed = Listed()
        var page = 1
        var total: Int?
        while true {
            try #require(listed.requests < maximumRequests, "\(url): more than \(maximumRequests) pages")
            let reply = try await client.send(url + separator(url) + "page=\(page)&per_page=\(perPage)", headers: headers)
            try #require(reply.status == 200, "\(url): \(reply.status) \(reply.body.prefix(300))")
            let data = reply.list("data")
            let meta = try #require(reply.object["meta"] as? [String: Any])
            total = meta["total"] as? Int
            listed.records += data
            listed.pageSizes.append(data.count)
            let lastPage = try #require(meta["last_page"] as? Int)
            if page >= lastPage { break }
            page += 1
        }
        return (listed, total)
    }

    /// Procore: follows the `Link` header's `rel="next"` until there is none.
    static func procore(_ client: HTTPClient, _ url: String, headers: [(String, String)]) async throws -> (listed: Listed, total: Int?) {
        var listed = Listed()
        var next: String? = url
        var total: Int?
        while let url = next {
            try #require(listed.requests < maximumRequests, "\(url): more than \(maximumRequests) pages")
            let reply = try await client.send(url, headers: headers)
            try #require(reply.status == 200, "\(url): \(reply.status) \(reply.body.prefix(300))")
            let page = try #require(reply.json as? [[String: Any]], "\(url): not an array: \(reply.body.prefix(300))")
            total = reply.header("Total").flatMap { Int($0) }
            listed.records += page
            listed.pageSizes.append(page.count)
            next = linkURL(reply.header("Link"), rel: "next")
        }
        return (listed, total)
    }
}

/// The URL of the entry with `rel` in an RFC 8288 `Link` header.
func linkURL(_ header: String?, rel: String) -> String? {
    guard let header else { return nil }
    for entry in header.components(separatedBy: ",") {
        let parts = entry.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count >= 2, parts.dropFirst().contains("rel=\"\(rel)\""), parts[0].hasPrefix("<"), parts[0].hasSuffix(">") else {
            continue
        }
        return String(parts[0].dropFirst().dropLast())
    }
    return nil
}

/// Finds names that occur twice in one JSON object. RFC 8259 says names SHOULD be unique, and parsers
/// disagree on a repeated one (Foundation's JSONSerialization keeps the last, JSONDecoder the first).
enum JSONKeyAudit {
    /// The repeated names of every object in `text`, in the order met.
    static func duplicateKeys(in text: String) -> [String] {
        var scanner = Scanner(bytes: Array(text.utf8))
        scanner.value()
        return scanner.duplicates
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0
        var duplicates: [String] = []

        init(bytes: [UInt8]) { self.bytes = bytes }

        var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipSpace() {
            while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
        }

        mutating func value() {
            skipSpace()
            switch current {
            case UInt8(ascii: "{"):
                index += 1
                var seen: Set<String> = []
                skipSpace()
                if current == UInt8(ascii: "}") { index += 1; return }
                while current != nil {
                    skipSpace()
                    let key = string()
                    if !seen.insert(key).inserted { duplicates.append(key) }
                    skipSpace()
                    index += 1  // ':'
                    value()
                    skipSpace()
                    if current == UInt8(ascii: ",") { index += 1; continue }
                    index += 1  // '}'
                    return
                }
            case UInt8(ascii: "["):
                index += 1
                skipSpace()
                if current == UInt8(ascii: "]") { index += 1; return }
                while current != nil {
                    value()
                    skipSpace()
                    if current == UInt8(ascii: ",") { index += 1; continue }
                    index += 1  // ']'
                    return
                }
            case UInt8(ascii: "\""):
                _ = string()
            default:
                while let byte = current, !",]} \n\r\t".utf8.contains(byte) { index += 1 }
            }
        }

        /// A string literal's raw text (escapes left as they are), the scanner at its opening quote.
        mutating func string() -> String {
            index += 1
            let start = index
            while let byte = current, byte != UInt8(ascii: "\"") {
                index += byte == UInt8(ascii: "\\") ? 2 : 1
            }
            let text = String(decoding: bytes[start..<min(index, bytes.count)], as: UTF8.self)
            index += 1
            return text
        }
    }
}
