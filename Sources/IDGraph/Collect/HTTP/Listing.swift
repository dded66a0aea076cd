/// How a list endpoint pages (docs/sources.md, per source).
enum PageStyle: Sendable, Hashable {
    /// One response holds the whole list.
    case none
    /// A start index and a page size: ProofHub `start`/`limit` (from 0), SCIM
    /// `startIndex`/`count` (from 1). The next start is the previous one plus
    /// the records actually received, so a server that serves fewer than asked
    /// loses nothing.
    case offset(start: String, limit: String, size: Int, firstIndex: Int)
    /// Page numbers and a page-size parameter: Laravel `page`/`per_page` from 1
    /// (ProcessMaker), Procore `page`/`per_page` from 1, Streak `page`/`limit` from 0.
    case page(page: String = "page", size: String = "per_page", pageSize: Int, firstPage: Int = 1)
    /// A cursor: each response links to the next one (Process Street's
    /// `links[]` entry named `next`, or a `Link: rel="next"` header).
    case cursor

    /// The records a full page holds when the server honours the request; `nil` when not paged by size.
    var pageSize: Int? {
        switch self {
        case .none, .cursor: nil
        case .offset(_, _, let size, _): size
        case .page(_, _, let size, _): size
        }
    }

    /// The query of the page at `index` (0-based) of pages of `size` records, for a server that serves
    /// fewer than asked: later pages ask for the size it served, so its page arithmetic matches ours.
    func query(page index: Int, size: Int) -> [(String, String)] {
        guard case .page(let page, let sizeName, _, let firstPage) = self else { return query(page: index, received: index * size) }
        return [(page, String(firstPage + index)), (sizeName, String(size))]
    }

    /// The query of the page at `index` (0-based), `received` records after the list's start.
    func query(page index: Int, received: Int) -> [(String, String)] {
        switch self {
        case .none, .cursor:
            return []
        case .offset(let start, let limit, let size, let firstIndex):
            return [(start, String(firstIndex + received)), (limit, String(size))]
        case .page(let page, let sizeName, let size, let firstPage):
            return [(page, String(firstPage + index)), (sizeName, String(size))]
        }
    }
}

/// One list endpoint of a source: where it is, how it pages, and where the
/// records are in each response.
struct Listing: Sendable {
    /// The path after the base URL, e.g. `/groups/7/members`.
    var path: String
    /// Fixed query parameters (`company_id`).
    var query: [(String, String)] = []
    /// The page style.
    var style: PageStyle
    /// The key of the record array in the body (`"users"`, `"data"`,
    /// `"Resources"`); `nil` when the body is the array itself. Either shape is accepted.
    var records: String?
    /// Whether a response that repeats the first page means the server ignores
    /// paging and the first response was the whole list (ProofHub, whose
    /// paging is undocumented), rather than an error.
    var repeatMeansWholeList = false
}
