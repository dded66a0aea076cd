import Foundation
import Testing

/// The store owns every write to the graph: no file outside `Sources/IDGraph/Graph` reaches the
/// store's writer or runs a statement that changes a graph table.
@Suite struct GraphStoreBoundaryTests {
    /// The package's `Sources` folder, from this file's path.
    static let sources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources")

    /// Every Swift file under `Sources` outside the store's own folder, with its text.
    static func filesOutsideTheStore() throws -> [(path: String, text: String)] {
        let enumerator = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
        var files: [(String, String)] = []
        while let url = enumerator.nextObject() as? URL {
            guard url.pathExtension == "swift", !url.path.contains("/Sources/IDGraph/Graph/") else { continue }
            files.append((url.path, try String(contentsOf: url, encoding: .utf8)))
        }
        return files
    }

    @Test func onlyTheStoreReachesItsWriter() throws {
        let files = try Self.filesOutsideTheStore()
        #expect(files.count > 50)
        for (path, text) in files {
            #expect(!text.contains("store.writer"), "\(path) reaches the store's writer; add a GraphStore method in Sources/IDGraph/Graph instead")
        }
    }

    @Test func onlyTheStoreChangesGraphTables() throws {
        // TEMP tables are a connection's own scratch (the review's facts).
        let writes = try Regex(#"(INSERT( OR [A-Z]+)? INTO|DELETE FROM|UPDATE [a-z_]+ SET)\s+(?!temp\.)"#)
        for (path, text) in try Self.filesOutsideTheStore() {
            guard path.contains("/Sources/IDGraph/") else { continue }
            #expect(text.firstMatch(of: writes) == nil, "\(path) writes to a graph table; that belongs in Sources/IDGraph/Graph")
        }
    }

    /// The graph's base tables: written by the store, and read only by it and by the rules. Every
    /// other part reads the views (the README, "The graph") or a `GraphStore` read.
    static let baseTables = [
        "snapshot", "source_run", "account", "container", "membership", "container_edge", "person", "credential",
        "request_log", "review_run", "review_rule", "review_input", "finding", "campaign", "campaign_item",
        "decision", "campaign_event", "remediation_item",
    ]

    @Test func onlyTheStoreReadsTheBaseTables() throws {
        let reads = try Regex("(FROM|JOIN)\\s+(\(Self.baseTables.joined(separator: "|")))\\b(?![_(])")
        for (path, text) in try Self.filesOutsideTheStore() {
            guard path.contains("/Sources/IDGraph/") else { continue }
            // Messages may show the user a query of the views (`FROM review_runs`); no base table is named there.
            let read = text.firstMatch(of: reads).map { String(text[$0.range]) }
            #expect(read == nil, "\(path) reads a base table ('\(read ?? "")'); add a GraphStore read in Sources/IDGraph/Graph")
        }
    }
}
