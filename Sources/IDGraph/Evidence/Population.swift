import Foundation
import GRDB

/// The population of one source as a review read it: what the API reported,
/// what its listing gave, what was stored, and whether that is complete.
/// `population.csv` is one row of these per configured source.
struct PopulationRow: Sendable, Hashable {
    var source: String
    var kind: String
    var sourceRunID: Int64?
    var snapshotID: Int64?
    var collectedAt: String?
    var stale: Bool
    var reportedTotal: Int?
    var listed: Int?
    var pages: Int?
    var listEnd: String?
    var accounts: Int
    var people: Int
    var duplicates: Int
    var actingAs: String?
    /// Why the population is not complete; `nil` when it is.
    var incomplete: String?

    static let header = [
        "source", "kind", "source_run_id", "snapshot_id", "collected_at", "stale", "reported_total", "listed", "pages",
        "list_end", "accounts", "people", "duplicates", "acting_as", "complete", "note",
    ]

    /// The row's cells, in ``header`` order.
    var cells: [String?] {
        [
            source, kind, sourceRunID.map(String.init), snapshotID.map(String.init), collectedAt, stale ? "1" : "0",
            reportedTotal.map(String.init), listed.map(String.init), pages.map(String.init), listEnd, String(accounts),
            String(people), String(duplicates), actingAs, incomplete == nil ? "yes" : "no", incomplete ?? note,
        ]
    }

    /// What a complete row says about how completeness was judged.
    private var note: String {
        if kind == SourceKind.roster.rawValue { return "a roster file: every data row read (\(listEnd ?? "end of file"))" }
        if let reportedTotal { return "the API reported \(reportedTotal); the listing gave \(listed ?? 0)" }
        return "the API reports no total; the list ended: \(listEnd ?? "not recorded")"
    }

    /// One row per source the review was configured with, in that order, from `db` (which must show
    /// the graph as the review read it: see ``ReviewedGraph``).
    static func rows(_ db: Database, review: RecordedReview) throws -> [PopulationRow] {
        var rows: [PopulationRow] = []
        for source in review.facts.sources {
            guard let run = review.inputs[source.source],
                let row = try GraphStore.population(db, sourceRun: run, reviewRunID: review.id)
            else {
                rows.append(
                    PopulationRow(
                        source: source.source, kind: source.kind, stale: false, accounts: 0, people: 0, duplicates: 0,
                        incomplete: "never collected: no collection of it had succeeded when the review ran"))
                continue
            }
            var population = PopulationRow(
                source: source.source, kind: source.kind, sourceRunID: row["id"], snapshotID: row["snapshot_id"],
                collectedAt: row["finished_at"], stale: row["stale"] ?? false, reportedTotal: row["reported_total"],
                listed: row["listed"], pages: row["pages"], listEnd: row["list_end"], accounts: row["accounts"],
                people: row["people"], duplicates: row["duplicates"], actingAs: row["acting_as"])
            population.incomplete = population.judge(error: row["error"])
            rows.append(population)
        }
        return rows
    }

    /// Why this population is incomplete, or `nil`.
    private func judge(error: String?) -> String? {
        if stale {
            return "stale: its last collection before the review failed (\(error ?? "no error recorded")); the review read its data of \(collectedAt ?? "an unknown date")"
        }
        if kind == SourceKind.roster.rawValue { return nil }
        guard let listed else {
            return "collected by an idgraph that did not record the API's count; collect again for population evidence"
        }
        if let reportedTotal, listed != reportedTotal {
            return "the API reported \(reportedTotal) accounts, and its listing gave \(listed)"
        }
        return nil
    }
}
