/// How one listing was read, as the pager (or the roster reader) saw it: the population evidence of
/// `source_runs` (`reported_total`, `listed`, `pages`, `list_end`) is made of these.
struct ListingSummary: Sendable, Hashable {
    /// The listing's URL path, or the roster's file.
    var path: String
    /// The total the API reported (the latest page's), if it reported one.
    var reportedTotal: Int?
    /// The records received.
    var received: Int
    /// The responses read; `nil` for a file.
    var pages: Int?
    /// What ended the list.
    var end: String

    /// What ends a list (docs/sources.md, "Paging").
    enum End: String, Sendable {
        case totalReached = "total reached"
        case hasNextPageFalse = "hasNextPage false"
        case noNextLink = "no next link"
        case emptyPage = "empty page"
        case unpaged = "one response (endpoint not paged)"
        case wholeList = "first response was the whole list"
        case endOfFile = "end of file"
    }
}

extension SourceRunEvidence {
    /// The population of a source whose accounts come from `listings`: the reported totals summed
    /// when every listing reported one, the records and responses summed, and the endings (each with
    /// its path when there are several listings), distinct, joined by `; `.
    mutating func setPopulation(_ listings: [ListingSummary]) {
        guard !listings.isEmpty else { return }
        let totals = listings.compactMap(\.reportedTotal)
        reportedTotal = totals.count == listings.count ? totals.reduce(0, +) : nil
        listed = listings.reduce(0) { $0 + $1.received }
        let pageCounts = listings.compactMap(\.pages)
        pages = pageCounts.count == listings.count ? pageCounts.reduce(0, +) : nil
        var endings: [String] = []
        for listing in listings {
            let ending = listings.count == 1 ? listing.end : "\(listing.path): \(listing.end)"
            if !endings.contains(ending) { endings.append(ending) }
        }
        listEnd = endings.joined(separator: "; ")
    }
}
