import Foundation
import GRDB

/// `findings.csv`: one row per finding of a review run, the README's header in order.
public enum FindingsCSV {
    /// The header row.
    public static let header = GraphStore.findingColumns

    /// Writes the findings of review run `reviewRunID` to `url`, streaming from the database.
    public static func write(_ reviewRunID: Int64, from reader: any DatabaseReader, to url: URL) async throws {
        try await reader.read { db in
            let file = try CSVFile(url: url, header: header)
            let rows = try GraphStore.findingRows(db, reviewRunID: reviewRunID)
            while let row = try rows.next() {
                try file.write((0..<header.count).map { row[$0] as String? })
            }
            try file.close()
        }
    }
}
