import Foundation
import NIOHTTP1

extension APIClient {

    /// One page of a listing and what it says about the rest.
    struct Page: Sendable {
        /// The records on the page, not yet decoded when the body is the array itself.
        var records: PageRecords
        /// How many records there are in all, when the API says (`Total`,
        /// `X-Total`, Laravel `meta.total`, SCIM `totalResults`).
        var total: Int?
        /// How many pages there are, when the API says (`meta.last_page`).
        var lastPage: Int?
        /// Whether a next page exists, when the API says (Streak `hasNextPage`,
        /// a `Link` header, Process Street `links[]`).
        var hasNext: Bool?
        /// The next page's URL, when the API gives one.
        var nextLink: String?
        /// What `hasNext: false` is on this page: Streak's `hasNextPage`, or a missing `next` link.
        var noNext: ListingSummary.End = .noNextLink
        /// The response's number in the request journal.
        var entry: Int

        /// What identifies the page's records, to notice a page served twice.
        var fingerprint: Fingerprint {
            switch records {
            case .elements(let elements): .bytes(count: elements.count, digest: elements.contentDigest)
            case .decoded(let records): .records(count: records.count, first: records.first, last: records.last)
            }
        }
    }

    /// What a page's records are, in a form that is cheap to compare.
    enum Fingerprint: Sendable, Hashable {
        case bytes(count: Int, digest: Int)
        case records(count: Int, first: JSONValue?, last: JSONValue?)
    }

    /// A listing whose pages disagree with its own total because the tenant
    /// changed while it was read (its pages reported different totals): read
    /// once more from the start.
    private struct ListingChanged: Error {
        var message: String
    }

    /// Reads every record of `listing` and hands them to `handle` a batch at a
    /// time as they arrive, so a large source is never held in memory.
    ///
    /// The end of a list is what the API says: a reached total, `hasNextPage:
    /// false`, no `next` link, or an empty page. A page shorter than asked for
    /// is never taken as the end, because a server may serve fewer than asked
    /// (docs/sources.md, "Paging"). When the first page gives a total, the
    /// remaining pages are fetched concurrently. A listing that ends with fewer
    /// records than the API's own total, repeats a page, or never ends fails
    /// with a ``CollectionError`` naming the source and path, so a partial list
    /// is never stored as if it were whole. A listing whose total moved while it
    /// was read (the tenant changed) is read once more; the store keeps each
    /// record once.
    ///
    /// Returns how the list was read: the total the API reported, the records
    /// received, the responses read and what ended it (of the second read, for
    /// a listing read again), for the population of `source_runs`.
    @discardableResult
    func forEachPage(_ listing: Listing, _ handle: @escaping @Sendable ([JSONValue]) async throws -> Void)
        async throws -> ListingSummary
    {
        do {
            return try await readListing(listing, handle)
        } catch let changed as ListingChanged {
            await sink.warn(.listingReadAgain, "\(changed.message) Reading \(displayPath(listing.path)) once more.")
            do {
                var summary = try await readListing(listing, handle)
                summary.end += ", on a second read (the total changed during the first)"
                return summary
            } catch let again as ListingChanged {
                throw CollectionError(
                    source: source.name, location: displayPath(listing.path),
                    message: "\(again.message) It changed again on a second read; run collect again when the tenant is quieter.")
            }
        }
    }

    /// The whole body of an unpaged endpoint (`/v1/users/me`).
    func object(_ path: String, query: [(String, String)] = []) async throws -> JSONValue {
        try await get(path, query: query).body
    }

    /// The first page of `listing` alone: what a check reads to see that a list answers, and its total.
    func firstPage(_ listing: Listing) async throws -> Page {
        try await page(of: listing, query: listing.style.query(page: 0, received: 0))
    }

    /// Reads the listing once.
    private func readListing(_ listing: Listing, _ handle: @escaping @Sendable ([JSONValue]) async throws -> Void)
        async throws -> ListingSummary
    {
        let shown = displayPath(listing.path)
        func failure(_ message: String) -> CollectionError {
            CollectionError(source: source.name, location: shown, message: message)
        }
        let counter = ListingCounter()
        let first = try await page(of: listing, query: listing.style.query(page: 0, received: 0))
        try await hand(first, handle, counter, listing)

        let end: ListingSummary.End
        switch listing.style {
        case .none:
            if first.hasNext == true {
                throw failure(
                    "The API says the list goes on (hasNextPage), but this endpoint takes no paging parameters, so the rest cannot be read. idgraph stores no partial list; see docs/sources.md.")
            }
            end = .unpaged
        case .page where first.total != nil && first.records.count > 0:
            end = try await readRemainingPagesConcurrently(listing, first: first, handle, counter)
        case .page, .offset, .cursor:
            end = try await readPagesInTurn(listing, first: first, handle, counter)
        }

        let (received, totals, latest, pages) = await counter.summary
        if let total = latest, received < total {
            let message = "The API reported \(total) records but listed \(received)."
            if totals.count > 1 { throw ListingChanged(message: message + " Its total changed while it was read (\(totals.sorted().map(String.init).joined(separator: ", ")))." ) }
            throw failure(
                "\(message) idgraph stores no partial list. Run collect again; if it persists, the API pages differently than expected: see docs/sources.md.")
        }
        return ListingSummary(path: shown, reportedTotal: latest, received: received, pages: pages, end: end.rawValue)
    }

    /// Fetches the pages after the first of a listing whose first page gives
    /// the total, at most `max_concurrency` at a time; returns what ended it.
    private func readRemainingPagesConcurrently(
        _ listing: Listing, first: Page, _ handle: @escaping @Sendable ([JSONValue]) async throws -> Void,
        _ counter: ListingCounter
    ) async throws -> ListingSummary.End {
        guard let total = first.total, first.records.count < total else { return .totalReached }
        guard total <= source.maxRecords else { throw tooMany(total, listing) }
        // The size the server really serves: a server may clamp what was asked for.
        let size = first.records.count
        let pages = (total + size - 1) / size
        let fingerprints = FingerprintLog()
        _ = await fingerprints.record(first.fingerprint, page: 1)
        try await forEachConcurrently(1..<pages, limit: source.maxConcurrency) { index in
            let page = try await page(of: listing, query: listing.style.query(page: index, size: size))
            if let earlier = await fingerprints.record(page.fingerprint, page: index + 1), page.records.count > 0 {
                throw repeated(listing, page: index + 1, earlier: earlier)
            }
            try await hand(page, handle, counter, listing)
        }
        // Fewer than the total (a server whose pages are not all one size):
        // read on, in turn, until the total or an empty page.
        var index = pages
        var last = first
        while await counter.received < (await counter.latestTotal ?? 0) {
            let page = try await page(of: listing, query: listing.style.query(page: index, size: size))
            guard page.records.count > 0 else {
                await read(page, untakenBy: counter)
                return .emptyPage
            }
            if page.fingerprint == last.fingerprint { throw repeated(listing, page: index + 1, earlier: index) }
            try await hand(page, handle, counter, listing)
            last = page
            index += 1
        }
        return .totalReached
    }

    /// Reads page after page until the API says the list has ended; returns what ended it.
    private func readPagesInTurn(
        _ listing: Listing, first: Page, _ handle: @escaping @Sendable ([JSONValue]) async throws -> Void,
        _ counter: ListingCounter
    ) async throws -> ListingSummary.End {
        var last = first
        var index = 0
        var links: Set<String> = []
        while true {
            let received = await counter.received
            if let hasNext = last.hasNext {
                guard hasNext else { return last.noNext }
            } else if let total = last.total {
                guard received < total else { return .totalReached }
            } else {
                guard last.records.count > 0 else { return .emptyPage }
            }
            index += 1
            let next: Page
            if case .cursor = listing.style {
                guard let link = last.nextLink else { return .noNextLink }
                guard links.insert(link).inserted else { throw repeated(listing, page: index + 1, earlier: nil) }
                next = try await page(of: listing, link: link)
            } else {
                next = try await page(of: listing, query: listing.style.query(page: index, received: received))
            }
            if next.records.count > 0, next.fingerprint == last.fingerprint {
                if index == 1, listing.repeatMeansWholeList, let size = listing.style.pageSize, first.records.count != size {
                    // The server ignores the paging parameters: the first response was the whole list. (Exactly
                    // a full page could also be a server that honours the size but not the start: an error.)
                    await read(next, untakenBy: counter)
                    return .wholeList
                }
                throw repeated(listing, page: index + 1, earlier: index)
            }
            try await hand(next, handle, counter, listing)
            if next.records.count == 0, next.hasNext != true { return next.hasNext == false ? next.noNext : .emptyPage }
            last = next
        }
    }

    /// Hands a page's records on and counts them, in the listing and in the response's journal entry.
    private func hand(
        _ page: Page, _ handle: @Sendable ([JSONValue]) async throws -> Void, _ counter: ListingCounter,
        _ listing: Listing
    ) async throws {
        await sink.countRecords(page.records.count, of: page.entry)
        let received = await counter.add(page.records.count, total: page.total)
        guard received <= source.maxRecords else { throw tooMany(received, listing) }
        do {
            try await page.records.forEachBatch(handle)
        } catch let error as PageRecords.Undecodable {
            throw CollectionError(
                source: source.name, location: displayPath(listing.path),
                message: "The response is not valid JSON (\(error)). Run collect again; if it persists, report it to the vendor.")
        }
    }

    /// Counts a response whose records are not taken (an empty last page, a first page served again):
    /// a response of the listing all the same, with the records it carried.
    private func read(_ page: Page, untakenBy counter: ListingCounter) async {
        await sink.countRecords(page.records.count, of: page.entry)
        await counter.countPage()
    }

    private func repeated(_ listing: Listing, page: Int, earlier: Int?) -> CollectionError {
        CollectionError(
            source: source.name, location: displayPath(listing.path),
            message: "The API sent the same page again (page \(page)\(earlier.map { ", as page \($0)" } ?? ", through a link it had already given")), so its paging cannot be followed and the list would never end. idgraph stores no partial list; see docs/sources.md, \"Paging\".")
    }

    private func tooMany(_ count: Int, _ listing: Listing) -> CollectionError {
        CollectionError(
            source: source.name, location: displayPath(listing.path),
            message: "The listing holds more than \(source.maxRecords) records (\(count)): the API's paging is not ending, or the tenant is larger than max_records allows. idgraph stores no partial list; raise max_records for this source if the tenant really is this large.")
    }

    private func page(of listing: Listing, query: [(String, String)]) async throws -> Page {
        try page(try await get(listing.path, query: listing.query + query, reading: PageBody.init), listing: listing)
    }

    private func page(of listing: Listing, link: String) async throws -> Page {
        try page(try await get(link: link, of: listing.path, reading: PageBody.init), listing: listing)
    }

    private func page(_ response: Response<PageBody>, listing: Listing) throws -> Page {
        let headers = response.headers
        let total = Self.header(headers, "Total", "X-Total", "X-Total-Count")
        let link = Self.nextLink(headers)
        let body: JSONValue
        switch response.body {
        case .elements(let elements):
            return Page(
                records: .elements(elements), total: total, hasNext: link.present, nextLink: link.url, entry: response.entry)
        case .value(let value):
            body = value
        }
        let records: [JSONValue]
        if let key = listing.records, let array = body[key].array {
            records = array
        } else if let array = body["data"].array {
            records = array
        } else if let key = listing.records, body[key].isNull, body.object != nil {
            records = []  // An empty list sent as null or left out.
        } else {
            throw CollectionError(
                source: source.name, location: displayPath(listing.path),
                message: "The response has no list of records\(listing.records.map { " ('\($0)')" } ?? ""). Check base_url: it should point at the API root (see docs/sources.md).")
        }
        let meta = body["meta"]
        let bodyNext = Self.bodyNextLink(body)
        let hasNextPage = body["hasNextPage"].bool
        return Page(
            records: .decoded(records),
            total: total ?? meta["total"].int ?? body["totalResults"].int ?? body["total"].int,
            lastPage: meta["last_page"].int,
            hasNext: hasNextPage ?? bodyNext.present ?? link.present,
            nextLink: bodyNext.url ?? link.url,
            noNext: hasNextPage != nil ? .hasNextPageFalse : .noNextLink,
            entry: response.entry)
    }

    private static func header(_ headers: HTTPHeaders, _ names: String...) -> Int? {
        for name in names {
            if let value = headers.first(name: name).flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }), value >= 0 {
                return value
            }
        }
        return nil
    }

    /// Process Street's `links` array: the entry whose `name` is `next`, if the
    /// body has a `links` array at all (`present` is `nil` without one).
    static func bodyNextLink(_ body: JSONValue) -> (present: Bool?, url: String?) {
        guard let links = body["links"].array else { return (nil, nil) }
        for link in links where link["name"].string?.lowercased() == "next" || link["rel"].string?.lowercased() == "next" {
            if let href = link["href"].text { return (true, href) }
        }
        return (false, nil)
    }

    /// An RFC 8288 `Link` header's `rel="next"` target; `present` is `nil` without a `Link` header.
    static func nextLink(_ headers: HTTPHeaders) -> (present: Bool?, url: String?) {
        let values = headers[canonicalForm: "Link"]
        guard !values.isEmpty else { return (nil, nil) }
        for value in values {
            let parts = value.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            let isNext = parts.dropFirst().contains { parameter in
                let trimmed = parameter.lowercased()
                return trimmed == "rel=\"next\"" || trimmed == "rel=next"
                    || (trimmed.hasPrefix("rel=\"") && trimmed.dropFirst(5).split(separator: " ").contains { $0.hasPrefix("next") })
            }
            if isNext, let target = parts.first, target.hasPrefix("<"), target.hasSuffix(">") {
                return (true, String(target.dropFirst().dropLast()))
            }
        }
        return (false, nil)
    }
}

/// What a listing has received so far, from pages read concurrently.
private actor ListingCounter {
    private(set) var received = 0
    private var totals: Set<Int> = []
    /// The total the most recently read page reported.
    private(set) var latestTotal: Int?
    /// The responses read.
    private var pages = 0

    /// Counts a page; returns the records received so far.
    func add(_ count: Int, total: Int?) -> Int {
        received += count
        pages += 1
        if let total {
            totals.insert(total)
            latestTotal = total
        }
        return received
    }

    /// Counts a response whose records were not taken (an empty last page, a repeated first page).
    func countPage() { pages += 1 }

    var summary: (received: Int, totals: Set<Int>, latest: Int?, pages: Int) { (received, totals, latestTotal, pages) }
}

/// The fingerprints of the pages read, to notice a page served twice.
private actor FingerprintLog {
    private var pages: [APIClient.Fingerprint: Int] = [:]

    /// Records a page; returns the number of an earlier page with the same records.
    func record(_ fingerprint: APIClient.Fingerprint, page: Int) -> Int? {
        if let earlier = pages[fingerprint] { return earlier }
        pages[fingerprint] = page
        return nil
    }
}
