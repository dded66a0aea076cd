/// How a list endpoint pages (each API guide, "Pagination").
enum PageStyle: Sendable, Hashable {
    /// One response holds the whole list (Streak).
    case none
    /// `offset`/`limit` parameters; offsets count records from 0.
    case offset(offset: String = "offset", limit: String = "limit", size: Int)
    /// Page numbers from 1 and an optional page-size parameter: ProofHub
    /// `page`, Laravel `page`/`per_page` with `meta` (ProcessMaker), and
    /// `page`/`per_page` with an `X-Total` header (Procore).
    case page(page: String = "page", size: String? = "per_page", pageSize: Int)

    /// The records a full page holds; `nil` when the list is not paged.
    var pageSize: Int? {
        switch self {
        case .none: nil
        case .offset(_, _, let size): size
        case .page(_, _, let size): size
        }
    }

    /// The query parameters of page `index` (0-based).
    func query(page index: Int) -> [(String, String)] {
        switch self {
        case .none:
            return []
        case .offset(let offset, let limit, let size):
            return [(offset, String(index * size)), (limit, String(size))]
        case .page(let page, let sizeName, let size):
            var query = [(page, String(index + 1))]
            if let sizeName { query.append((sizeName, String(size))) }
            return query
        }
    }
}

/// One list endpoint of a source: where it is, how it pages, and where the
/// records are in each response.
struct Listing: Sendable {
    /// The path after the base URL, e.g. `/groups/7/members`.
    var path: String
    /// Fixed query parameters (`company_id`, `group_id`).
    var query: [(String, String)] = []
    /// The page style.
    var style: PageStyle
    /// The key of the record array in the body (`"members"`, `"data"`); `nil`
    /// when the body is the array itself. Either shape is accepted.
    var records: String?
}
