import Foundation
import GRDB

/// A scratch copy of a graph database as it stood when one review ran: the
/// source runs of the collects after it are removed, so `current_source_runs`
/// and every view built on it show exactly what the review read (recorded in
/// `review_input`). The pack's own `graph.sqlite` is never changed; this copy
/// lives in a temporary folder and is removed after use.
struct ReviewedGraph {
    /// The copy, writable only so that later runs could be removed from it.
    let database: DatabaseQueue
    private let folder: URL

    /// Copies `file` and removes from the copy what was collected after review run `reviewRunID`.
    /// Throws an ``EvidenceError`` naming `shownAs` when the copy cannot show what the review read.
    static func make(copying file: URL, reviewRunID: Int64, shownAs shown: String) throws -> ReviewedGraph {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("idgraph-evidence-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let copy = folder.appendingPathComponent("reviewed.sqlite")
        do {
            try FileManager.default.copyItem(at: file, to: copy)
            var configuration = GRDB.Configuration()
            // Rows of the removed runs stay behind; no view reads them, since every view goes through
            // `current_source_runs`.
            configuration.foreignKeysEnabled = false
            let database = try DatabaseQueue(path: copy.path, configuration: configuration)
            let graph = ReviewedGraph(database: database, folder: folder)
            try database.write { db in
                guard let snapshot = try Row.fetchOne(
                    db, sql: "SELECT snapshot_id FROM review_run WHERE id = ?", arguments: [reviewRunID])
                else {
                    throw EvidenceError(shown, "The database holds no review run \(reviewRunID). 'idgraph query --db DB \"SELECT id, as_of, status FROM review_runs\"' lists them.", exitStatus: .usage)
                }
                let last: Int64 = snapshot["snapshot_id"] ?? 0
                try db.execute(sql: "DELETE FROM source_run WHERE snapshot_id > ?", arguments: [last])
                let read = try Self.runs(db, sql: "SELECT source, source_run_id, stale FROM current_source_runs ORDER BY source")
                let recorded = try Self.runs(
                    db, sql: "SELECT source, source_run_id, stale FROM review_input WHERE review_run_id = ? ORDER BY source",
                    arguments: [reviewRunID])
                guard read == recorded else {
                    throw EvidenceError(
                        shown,
                        "The database does not hold the graph review run \(reviewRunID) read: it recorded the source runs \(Self.describe(recorded)), and the database gives \(Self.describe(read)).")
                }
            }
            return graph
        } catch {
            try? FileManager.default.removeItem(at: folder)
            if let error = error as? EvidenceError { throw error }
            throw EvidenceError(shown, "The database cannot be read (\(error)).")
        }
    }

    /// Removes the copy.
    func remove() {
        try? database.close()
        try? FileManager.default.removeItem(at: folder)
    }

    private struct RunRead: Hashable {
        var source: String
        var run: Int64
        var stale: Bool
    }

    private static func runs(_ db: Database, sql: String, arguments: StatementArguments = []) throws -> [RunRead] {
        try Row.fetchAll(db, sql: sql, arguments: arguments).map {
            RunRead(source: $0["source"], run: $0["source_run_id"], stale: $0["stale"] ?? false)
        }
    }

    private static func describe(_ runs: [RunRead]) -> String {
        runs.isEmpty ? "none" : runs.map { "\($0.source) \($0.run)\($0.stale ? " (stale)" : "")" }.joined(separator: ", ")
    }
}
