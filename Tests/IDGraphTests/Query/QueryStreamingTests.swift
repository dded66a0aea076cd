import Foundation
import GRDB
import Testing

@testable import IDGraph

/// `idgraph query` writes rows as it reads them, and leaves nothing beside the database.
@Suite struct QueryStreamingTests {
    /// A recursive CTE of `count` rows: `i`, and an email-like text.
    static func numbers(_ count: Int) -> String {
        """
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(count))
        SELECT i, 'user' || i || '@acme.com' AS email FROM n
        """
    }

    /// The names in `folder` that end in `-wal` or `-shm`.
    static func sqliteSideFiles(_ folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix("-wal") || $0.hasSuffix("-shm") }.sorted()
    }

    /// A graph database alone in a folder of its own, no writer open on it.
    static func databaseInFolder() async throws -> (folder: URL, path: String) {
        let source = try await ReadOnlyQueryTests.makeDatabase()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("query-folder-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("idgraph.sqlite").path
        try FileManager.default.copyItem(atPath: source, toPath: path)
        return (folder, path)
    }

    @Test func twoMillionRowsAreWrittenWhole() async throws {
        let (folder, path) = try await Self.databaseInFolder()
        let file = folder.appendingPathComponent("out.csv")
        let output = try BufferedFileOutput(url: file)
        let rows = try ReadOnlyQuery(path: path).write(Self.numbers(2_000_000), format: .csv, to: output)
        #expect(rows == 2_000_000)
        // Read back in chunks: the file is about 50 MB.
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        var lines = 0
        var tail = Data()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            lines += chunk.reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
            tail = (tail + chunk).suffix(64)
        }
        #expect(lines == 2_000_001)
        #expect(String(decoding: tail, as: UTF8.self).hasSuffix("\r\n2000000,user2000000@acme.com\r\n"))
    }

    @Test(arguments: QueryFormat.allCases)
    func everyFormatStreamsTheSameRowsAsItRendersThem(format: QueryFormat) async throws {
        let (_, path) = try await Self.databaseInFolder()
        let sql = "SELECT account_id, name, is_admin, last_seen, 1.5 AS r, x'00ff' AS b FROM accounts ORDER BY account_id"
        let rendered = format.render(try ReadOnlyQuery(path: path).run(sql))
        let output = BufferedFileOutput()
        let rows = try ReadOnlyQuery(path: path).write(sql, format: format, to: output)
        #expect(rows == 2)
        #expect(String(decoding: output.written, as: UTF8.self) == rendered)
    }

    @Test func aTableSizesItsColumnsOnItsFirstRowsAndShowsLaterLongerValuesWhole() async throws {
        let (_, path) = try await Self.databaseInFolder()
        let count = QueryWriter.tableSampleRows + 500
        let sql = """
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(count))
            SELECT i, CASE WHEN i = \(count) THEN 'a longer value than any before'
                           WHEN i = \(count - 1) THEN printf('%.70c', 'x') ELSE 'short' END AS v
            FROM n
            """
        let output = BufferedFileOutput()
        _ = try ReadOnlyQuery(path: path).write(sql, format: .table, to: output)
        let lines = String(decoding: output.written, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "i     v")
        #expect(lines[1] == "----  -----")
        #expect(lines.count == count + 4)
        #expect(lines[lines.count - 5] == "\(count - 2)  short")
        // Longer than any value of the first rows: shown whole up to 60 characters, then cut.
        #expect(lines[lines.count - 4] == "\(count - 1)  " + String(repeating: "x", count: 59) + "…")
        #expect(lines[lines.count - 3] == "\(count)  a longer value than any before")
        #expect(lines[lines.count - 2] == "(\(count) rows)")
        #expect(lines.last == "")
    }

    @Test func controlsInAStreamedTableAreShownNotApplied() async throws {
        let (_, path) = try await Self.databaseInFolder()
        let output = BufferedFileOutput()
        _ = try ReadOnlyQuery(path: path).write(
            "SELECT char(27) || '[31mEve' || char(8238) || char(10) || 'x' AS name", format: .table, to: output)
        let table = String(decoding: output.written, as: UTF8.self)
        #expect(table.contains("<U+001B>[31mEve<U+202E>\\nx"))
        #expect(!table.unicodeScalars.contains { TerminalText.isUnsafe($0) && $0 != "\n" })
    }

    /// SQLite creates `-wal` and `-shm` beside a WAL database that a read-only connection reads, and
    /// cannot remove them when it closes: the query removes them afterwards through SQLite.
    @Test func aQueryInAWritableFolderLeavesNoWalOrShm() async throws {
        let (folder, path) = try await Self.databaseInFolder()
        #expect(try Self.sqliteSideFiles(folder) == [])
        var seenDuringTheQuery: [String] = []
        let rows = try ReadOnlyQuery(path: path).write(
            Self.numbers(10), format: .csv, to: BufferedFileOutput(),
            eachRow: { seenDuringTheQuery = (try? Self.sqliteSideFiles(folder)) ?? [] })
        #expect(rows == 10)
        // While it reads, SQLite has made them (what the next test's immutable open avoids)…
        #expect(seenDuringTheQuery == ["idgraph.sqlite-shm", "idgraph.sqlite-wal"])
        // …and afterwards they are gone.
        #expect(try Self.sqliteSideFiles(folder) == [])
        // The database is untouched and still opens as a graph.
        #expect(try ReadOnlyQueryTests.counts(path) == [2, 1, 1])
    }

    /// Where the folder is not writable the database is opened `immutable`, which creates nothing.
    /// Tests run as root, who may write in a folder of mode 0555, so the folder is made read-only
    /// *and* the writability check is replaced by one that says no: the code path is the one a
    /// non-root user takes, and the proof is that no side file exists even while rows are read.
    @Test func aQueryInAReadOnlyFolderCreatesNothing() async throws {
        let (folder, path) = try await Self.databaseInFolder()
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path) }
        var query = ReadOnlyQuery(path: path)
        query.isWritable = { _ in false }
        var seenDuringTheQuery: Set<String> = []
        let output = BufferedFileOutput()
        let rows = try query.write(
            "SELECT email FROM accounts ORDER BY email", format: .csv, to: output,
            eachRow: { seenDuringTheQuery.formUnion((try? Self.sqliteSideFiles(folder)) ?? []) })
        #expect(rows == 2)
        #expect(String(decoding: output.written, as: UTF8.self) == "email\r\nana@acme.com\r\nbob@acme.com\r\n")
        #expect(seenDuringTheQuery.isEmpty)
        #expect(try Self.sqliteSideFiles(folder) == [])
        // Read-only locks hold there too.
        #expect(throws: QueryError.self) { try query.run("DELETE FROM account") }
    }

    /// A writer's `-wal` holds committed rows the database file does not have yet: a query reads
    /// through it (never `immutable`, even where it could not tidy) and leaves the writer's files alone.
    @Test func aWritersWalIsReadAndLeftInPlace() async throws {
        let (folder, path) = try await Self.databaseInFolder()
        let store = try GraphStore.open(path: path)
        let snapshot = try await store.beginSnapshot()
        let run = try await store.beginSourceRun(snapshot: snapshot, source: "late", kind: .proofHub)
        try await store.insert(
            [Account(accountID: "9", email: "late@acme.com", name: "Late", status: .active)], run: run,
            canonicalizer: EmailCanonicalizer())
        try await store.completeSourceRun(run, stats: SourceRunStats(), seconds: 0)
        #expect(try Self.sqliteSideFiles(folder) == ["idgraph.sqlite-shm", "idgraph.sqlite-wal"])
        for writable in [true, false] {
            var query = ReadOnlyQuery(path: path)
            query.isWritable = { _ in writable }
            let result = try query.run("SELECT email FROM accounts WHERE source = 'late'")
            #expect(result.rows.count == 1, "writable: \(writable)")
            #expect(try Self.sqliteSideFiles(folder) == ["idgraph.sqlite-shm", "idgraph.sqlite-wal"])
        }
        // The writer goes on writing.
        try await store.finishSnapshot(snapshot, status: .ok)
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/dev/full")))
    func anOutputThatCannotBeWrittenIsAFailureNotAUsageError() async throws {
        let (_, path) = try await Self.databaseInFolder()
        // /dev/full accepts the open and refuses every write (ENOSPC).
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: "/dev/full"))
        defer { try? handle.close() }
        do {
            try ReadOnlyQuery(path: path).write(Self.numbers(100_000), format: .csv, to: handle)
            Issue.record("the query wrote to /dev/full")
        } catch {
            #expect(error.exitStatus == .failure)
            #expect(error.description.contains("Writing the query's output failed"), "\(error.description)")
        }
    }
}
