import NIOHTTP1

extension APIClient {
    /// One page of a listing and what it says about the rest.
    struct Page: Sendable {
        /// The records on the page, not yet decoded when the body is the array itself.
        var records: PageRecords
        /// How many records there are in all, when the API says (`X-Total`, `Total`,
        /// Laravel `meta.total`, a `total` field).
        var total: Int?
        /// How many pages there are, when the API says (`meta.last_page`).
        var lastPage: Int?
        /// Whether a next page exists, when a `Link` header says.
        var hasNext: Bool?
        /// The page size the server used, when it says (`meta.per_page`, `X-Per-Page`).
        var perPage: Int?
    }

    /// What the pager keeps of a page once its records are handled: never the records.
    private struct PageSummary: Sendable {
        var count: Int
        var firstRecord: JSONValue?
        var total: Int?
        var lastPage: Int?
        var hasNext: Bool?
        var perPage: Int?
    }

    /// Reads every page of `listing` and hands its records to `handle` a
    /// batch at a time as they arrive, so a large source is never held in
    /// memory: a page is released once its records are handled, and a body
    /// that is the array of records itself is decoded in batches
    /// (``JSONArrayElements``), so neither Streak's one list of every user nor
    /// a 10,000-record page exists whole as a tree.
    ///
    /// Requests are the fewest the API allows: the largest page size; when the
    /// first page tells the total (`X-Total`, Laravel `meta`), exactly the pages
    /// needed, the rest fetched concurrently; otherwise pages in turn until a `Link` header has no
    /// `next`, or a page is short or empty (a list whose length is an exact
    /// multiple of the page size costs one empty page, only then).
    func forEachPage(_ listing: Listing, _ handle: @escaping @Sendable ([JSONValue]) async throws -> Void)
        async throws
    {
        let first = try await readPage(of: listing, query: listing.style.query(page: 0), handle)
        guard let requested = listing.style.pageSize, first.count > 0 else { return }
        let size = min(requested, first.perPage ?? requested)

        if let pages = first.lastPage ?? first.total.map({ ($0 + size - 1) / size }) {
            guard pages > 1 else { return }
            try await forEachConcurrently(1..<pages, limit: source.maxConcurrency) { index in
                _ = try await readPage(of: listing, query: query(listing.style, index: index, size: size), handle)
            }
            return
        }

        var last = first
        var index = 0
        var offset = first.count
        while true {
            if let hasNext = last.hasNext {
                guard hasNext else { return }
            } else if last.count < size {
                return
            }
            index += 1
            var pageQuery = query(listing.style, index: index, size: size)
            if case .offset(let name, _, _) = listing.style {
                // Continue after the records actually received.
                pageQuery = pageQuery.map { $0.0 == name ? (name, String(offset)) : $0 }
            }
            let previous = last
            last = try await readPage(of: listing, query: pageQuery, handle)
            guard last.count > 0 else { return }
            if last.firstRecord == previous.firstRecord, last.count == previous.count {
                // The API ignores the paging parameters: reading on would never end.
                throw CollectionError(
                    source: source.name, location: displayPath(listing.path),
                    message: "The API sent the same page again for page \(index + 1), so its paging cannot be followed. Check base_url (an API version that pages differently?) and report this to the idgraph maintainers.")
            }
            offset += last.count
        }
    }

    /// The whole body of an unpaged endpoint (`/users/me`).
    func object(_ path: String, query: [(String, String)] = []) async throws -> JSONValue {
        try await get(path, query: query).body
    }

    private func query(_ style: PageStyle, index: Int, size: Int) -> [(String, String)] {
        switch style {
        case .none: []
        case .offset(let offset, let limit, _): [(offset, String(index * size)), (limit, String(size))]
        case .page: style.query(page: index)
        }
    }

    /// Fetches one page, hands its records to `handle` a batch at a time, and
    /// keeps only its summary.
    private func readPage(
        of listing: Listing, query: [(String, String)], _ handle: @Sendable ([JSONValue]) async throws -> Void
    ) async throws -> PageSummary {
        let page = try await page(of: listing, query: query)
        var firstRecord: JSONValue?
        do {
            try await page.records.forEachBatch { batch in
                if firstRecord == nil { firstRecord = batch.first }
                try await handle(batch)
            }
        } catch let error as PageRecords.Undecodable {
            throw CollectionError(
                source: source.name, location: displayPath(listing.path),
                message: "The response is not valid JSON (\(error)). Run collect again; if it persists, report it to the vendor.")
        }
        return PageSummary(
            count: page.records.count, firstRecord: firstRecord, total: page.total, lastPage: page.lastPage,
            hasNext: page.hasNext, perPage: page.perPage)
    }

    private func page(of listing: Listing, query: [(String, String)]) async throws -> Page {
        let (read, headers) = try await get(listing.path, query: listing.query + query, reading: PageBody.init)
        let total = Self.header(headers, "X-Total", "Total", "X-Total-Count")
        let hasNext = Self.linkHasNext(headers)
        let perPage = Self.header(headers, "X-Per-Page", "Per-Page")
        let body: JSONValue
        switch read {
        case .elements(let elements):
            return Page(records: .elements(elements), total: total, hasNext: hasNext, perPage: perPage)
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
                message: "The response has no list of records\(listing.records.map { " ('\($0)')" } ?? ""). Check base_url: it should point at the API root.")
        }
        let meta = body["meta"]
        return Page(
            records: .decoded(records),
            total: total ?? meta["total"].int ?? body["total"].int,
            lastPage: meta["last_page"].int ?? meta["total_pages"].int,
            hasNext: hasNext,
            perPage: meta["per_page"].int ?? perPage)
    }

    private static func header(_ headers: HTTPHeaders, _ names: String...) -> Int? {
        for name in names {
            if let value = headers.first(name: name).flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) {
                return value
            }
        }
        return nil
    }

    /// Whether an RFC 8288 `Link` header has `rel="next"`; `nil` without a `Link` header.
    private static func linkHasNext(_ headers: HTTPHeaders) -> Bool? {
        let links = headers[canonicalForm: "Link"]
        guard !links.isEmpty else { return nil }
        return links.contains { link in
            link.split(separator: ";").dropFirst().contains { parameter in
                let trimmed = parameter.trimmingCharacters(in: .whitespaces).lowercased()
                return trimmed == "rel=\"next\"" || trimmed == "rel=next"
                    || (trimmed.hasPrefix("rel=\"") && trimmed.dropFirst(5).split(separator: " ").contains { $0.hasPrefix("next") })
            }
        }
    }
}
