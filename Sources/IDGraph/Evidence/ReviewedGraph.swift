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
            // The set-aside runs' rows stay behind, unread.
            configuration.foreignKeysEnabled = false
            let database = try DatabaseQueue(path: copy.path, configuration: configuration)
            let graph = ReviewedGraph(database: database, folder: folder)
            try database.write { db in
                guard try GraphStore.setAsideCollects(after: reviewRunID, inScratchCopy: db) else {
                    throw EvidenceError(shown, "The database holds no review run \(reviewRunID). 'idgraph query --db DB \"SELECT id, as_of, status FROM review_runs\"' lists them.", exitStatus: .usage)
                }
                let read = try GraphStore.currentRuns(db)
                let recorded = try GraphStore.reviewInputs(db, id: reviewRunID)
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

    private static func describe(_ runs: [GraphStore.RunRead]) -> String {
        runs.isEmpty ? "none" : runs.map { "\($0.source) \($0.run)\($0.stale ? " (stale)" : "")" }.joined(separator: ", ")
    }
}
