import Foundation
import GRDB

/// `findings.csv`: one row per finding of a review run, the README's header in order.
public enum FindingsCSV {
    /// The header row.
    public static let header = ["rule", "severity", "source", "account_id", "email", "name", "detail"]

    /// Writes the findings of review run `reviewRunID` to `url`, streaming from the database.
    public static func write(_ reviewRunID: Int64, from reader: any DatabaseReader, to url: URL) async throws {
        try await reader.read { db in
            let file = try CSVFile(url: url, header: header)
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT rule, severity, source, account_id, email, name, detail
                    FROM finding WHERE review_run_id = ?
                    ORDER BY id
                    """,
                arguments: [reviewRunID])
            while let row = try rows.next() {
                try file.write((0..<header.count).map { row[$0] as String? })
            }
            try file.close()
        }
    }
}
