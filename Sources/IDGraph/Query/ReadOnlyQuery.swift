import Foundation
import GRDB
import GRDBSQLite

/// Runs one analyst's SQL statement over the graph, read-only by construction.
///
/// Three locks, any one of which would do: the connection is opened read-only
/// with `PRAGMA query_only`; a statement that SQLite says writes is refused
/// before it runs; and statements that change the connection or other files
/// (`ATTACH`, `DETACH`, `VACUUM`, most `PRAGMA`s) are refused by name.
///
/// Rows are read through a cursor and written as they come (``write(_:parameters:format:to:)``), so
/// a result of millions of rows never sits in memory.
///
/// A query leaves no files behind. SQLite creates `-wal` and `-shm` files beside a WAL database that
/// any connection reads, and a read-only connection cannot remove them when it closes; so when the
/// query created them, SQLite's own last-connection clean-up removes them afterwards (see
/// ``removeFilesLeftByTheQuery()``). Where the folder or the file is not writable for this user (a
/// copy on a read-only share) and no `-wal` holds changes, the database is opened `immutable`, which
/// creates nothing; `immutable` assumes that nobody writes to the file meanwhile, which holds there
/// for idgraph's own writers (a collect needs to write beside the database).
public struct ReadOnlyQuery: Sendable {
    /// PRAGMAs that only read, allowed without an argument or with a table name.
    static let readablePragmas: Set<String> = [
        "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo",
        "foreign_key_list", "database_list", "compile_options", "user_version", "schema_version",
        "integrity_check", "quick_check", "page_count", "page_size", "freelist_count", "function_list",
    ]

    /// The database file.
    public var path: String

    /// Whether this process may create and remove files at a path (its folder, the database file).
    /// Tests replace it: they run as root, for whom a folder with mode 0555 is still writable.
    var isWritable: @Sendable (String) -> Bool = { access($0, W_OK) == 0 }

    /// Creates a query runner over the database at `path`.
    public init(path: String) {
        self.path = path
    }

    /// Runs `sql` with named `parameters` (`:name` in the SQL; the dictionary
    /// key without the colon) and returns every row. For results of any size, use
    /// ``write(_:parameters:format:to:)``, which holds none of them.
    public func run(_ sql: String, parameters: [String: String] = [:]) throws(QueryError) -> QueryResult {
        try withRows(sql, parameters: parameters) { statement, cursor in
            var rows: [[DatabaseValue]] = []
            while let row = try cursor.next() {
                rows.append(Array(row.databaseValues))
            }
            return QueryResult(columns: statement.columnNames, rows: rows)
        }
    }

    /// Runs `sql` with named `parameters` and writes its rows to `handle` (stdout) in `format` as
    /// they are read, through a 256 KiB buffer. Returns the number of rows written.
    @discardableResult
    public func write(
        _ sql: String, parameters: [String: String] = [:], format: QueryFormat, to handle: FileHandle
    ) throws(QueryError) -> Int {
        let output = BufferedFileOutput(stream: handle)
        defer { output.close() }
        return try write(sql, parameters: parameters, format: format, to: output)
    }

    /// Writes the rows of `sql` to `output`; `eachRow` runs after each row is written (tests look at
    /// the folder while the query is open).
    func write(
        _ sql: String, parameters: [String: String] = [:], format: QueryFormat, to output: BufferedFileOutput,
        eachRow: () -> Void = {}
    ) throws(QueryError) -> Int {
        let rows = try withRows(sql, parameters: parameters) { statement, cursor in
            let writer = QueryWriter(format: format, columns: statement.columnNames, output: output)
            let row = StatementRow(statement: statement.sqliteStatement)
            while try cursor.next() != nil {
                writer.write(row)
                eachRow()
                if output.failure != nil { break }
            }
            writer.finish()
            return writer.rows
        }
        output.close()
        if let failure = output.failure {
            throw QueryError(
                "Writing the query's output failed after \(rows) rows (\(failure)). Check where the output goes (a full disk, a closed pipe) and run the query again.",
                exitStatus: .failure)
        }
        return rows
    }

    /// Opens the database read-only, prepares and checks `sql`, binds `parameters`, and hands the
    /// statement and a cursor over its rows to `body`.
    func withRows<T>(
        _ sql: String, parameters: [String: String], _ body: (Statement, RowCursor) throws -> T
    ) throws(QueryError) -> T {
        guard FileManager.default.fileExists(atPath: path) else {
            throw QueryError("There is no graph database at \(path). Run 'idgraph collect' first, or pass --db.")
        }
        let opening = Opening(path: path, isWritable: isWritable)
        let queue: DatabaseQueue
        do {
            var configuration = GraphStore.configuration(readonly: true)
            configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA query_only = 1") }
            queue = try DatabaseQueue(path: try opening.filename(), configuration: configuration)
        } catch let error as QueryError {
            throw error
        } catch {
            throw QueryError("Cannot open the graph database at \(path): \(Self.message(of: error))")
        }
        let result: Result<T, QueryError>
        do {
            result = .success(try queue.read { db in
                let statement = try Self.prepare(sql, parameters: parameters, in: db)
                return try body(statement, try Row.fetchCursor(statement))
            })
        } catch let error as QueryError {
            result = .failure(error)
        } catch {
            result = .failure(QueryError("The query failed: \(Self.message(of: error))"))
        }
        try? queue.close()
        opening.removeFilesLeftByTheQuery()
        return try result.get()
    }

    /// How the database is opened, and what the query must tidy after itself.
    struct Opening {
        var path: String
        /// Whether the `-wal` and `-shm` files were there before the query.
        var walExisted: Bool
        var shmExisted: Bool
        /// Whether the query may remove what it created (the folder and the file are writable).
        var canTidy: Bool

        init(path: String, isWritable: (String) -> Bool) {
            self.path = path
            walExisted = FileManager.default.fileExists(atPath: path + "-wal")
            shmExisted = FileManager.default.fileExists(atPath: path + "-shm")
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            canTidy = isWritable(folder) && isWritable(path)
        }

        /// Opened `immutable` (creating nothing) where the query could not remove what it creates and
        /// no `-wal` holds changes the database file lacks. A `-wal` that exists belongs to a writer
        /// (or one that was killed), and only a normal read-only connection reads it.
        var immutable: Bool { !canTidy && !walExisted }

        /// The name SQLite opens: the path, or an `immutable=1` URI.
        func filename() throws -> String {
            guard immutable else { return path }
            guard sqlite3_compileoption_used("USE_URI") != 0 else {
                throw QueryError(
                    "Cannot read the graph database at \(path) without creating files beside it, and its folder is not writable. Copy the database to a writable folder and query the copy.")
            }
            let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
            let encoded = absolute.split(separator: "/", omittingEmptySubsequences: false)
                .map { PathComponent.escape(String($0)) }.joined(separator: "/")
            return "file:\(encoded)?mode=ro&immutable=1"
        }

        /// Removes the `-wal` and `-shm` files the query's read-only connection created: one more
        /// connection, read-write but running nothing but a read, closes as the last one and so lets
        /// SQLite checkpoint (nothing: the `-wal` is empty) and delete them. When a writer opened the
        /// database meanwhile it is not the last, SQLite keeps the files, and they are the writer's.
        /// A `-wal` holding frames is a writer's too, and is left alone.
        func removeFilesLeftByTheQuery() {
            let fileManager = FileManager.default
            let wal = path + "-wal"
            guard canTidy, !immutable,
                (!walExisted && fileManager.fileExists(atPath: wal)) || (!shmExisted && fileManager.fileExists(atPath: path + "-shm")),
                ((try? fileManager.attributesOfItem(atPath: wal)[.size] as? Int) ?? 0) == 0,
                fileManager.fileExists(atPath: path)
            else { return }
            var configuration = GRDB.Configuration()
            configuration.busyMode = .timeout(1)
            configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA query_only = 1") }
            guard let queue = try? DatabaseQueue(path: path, configuration: configuration) else { return }
            _ = try? queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") }
            try? queue.close()
        }
    }

    /// The statement of `sql`, checked and with `parameters` bound.
    static func prepare(_ sql: String, parameters: [String: String], in db: Database) throws -> Statement {
        let statement = try prepareSingle(sql, in: db)
        try refuseWrites(statement, sql: sql)
        let names = parameterNames(of: statement)
        if Int(sqlite3_bind_parameter_count(statement.sqliteStatement)) > names.count {
            throw QueryError("The query has positional parameters ('?' or '?1'). Use named ones (:name) and pass --param name=VALUE.")
        }
        var arguments: [String: (any DatabaseValueConvertible)?] = [:]
        for name in names {
            guard let value = parameters[name] else {
                throw QueryError("The query uses :\(name) but no value was given. Add --param \(name)=VALUE.")
            }
            arguments[name] = value
        }
        let unused = Set(parameters.keys).subtracting(names)
        if !unused.isEmpty {
            throw QueryError("--param \(unused.sorted().joined(separator: ", ")) is not used by the query (it uses: \(names.isEmpty ? "no parameters" : names.map { ":" + $0 }.joined(separator: ", "))).")
        }
        statement.arguments = StatementArguments(arguments)
        return statement
    }

    /// The one statement in `sql`; several statements are refused.
    static func prepareSingle(_ sql: String, in db: Database) throws -> Statement {
        let cursor = try db.allStatements(sql: sql)
        guard let first = try cursor.next() else {
            throw QueryError("The query is empty. Give one SQL statement, for example: SELECT * FROM accounts LIMIT 10")
        }
        let rest: Statement?
        do {
            rest = try cursor.next()
        } catch {
            rest = first
        }
        if rest != nil {
            throw QueryError("The query has more than one statement. idgraph query runs exactly one read-only statement; remove the extra ';'-separated statements.")
        }
        return first
    }

    static func refuseWrites(_ statement: Statement, sql: String) throws {
        // Comments are not words: `/* x */ ATTACH …` starts with ATTACH.
        let words = withoutComments(sql).split(whereSeparator: { !$0.isLetter && $0 != "_" }).map { $0.lowercased() }
        let first = words.first ?? ""
        let refusal = "idgraph query is read-only and refuses"
        if ["attach", "detach", "vacuum", "reindex", "analyze"].contains(first) {
            throw QueryError("\(refusal) \(first.uppercased()): it changes the connection or writes files. Query the views instead (accounts, people, memberships, …).")
        }
        if first == "pragma" {
            let name = words.dropFirst().first { $0 != "main" && $0 != "temp" } ?? ""
            if !readablePragmas.contains(name) || withoutComments(sql).contains("=") {
                throw QueryError("\(refusal) this PRAGMA. Allowed read-only PRAGMAs: \(readablePragmas.sorted().joined(separator: ", ")).")
            }
        }
        if !statement.isReadonly {
            throw QueryError("\(refusal) statements that change data (\(first.uppercased())). The database is unchanged.")
        }
    }

    /// `sql` with its `--` and `/* */` comments blanked out (text inside quotes is kept as it is).
    static func withoutComments(_ sql: String) -> String {
        var output = ""
        var scalars = sql.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        var quote: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let scalar = pending {
                pending = nil
                return scalar
            }
            return scalars.next()
        }
        while let scalar = next() {
            if let open = quote {
                output.unicodeScalars.append(scalar)
                if scalar == open { quote = nil }
                continue
            }
            switch scalar {
            case "'", "\"", "`", "[":
                quote = scalar == "[" ? "]" : scalar
                output.unicodeScalars.append(scalar)
            case "-":
                let following = next()
                if following == "-" {
                    while let c = next(), c != "\n" {}
                    output += " "
                } else {
                    output.unicodeScalars.append(scalar)
                    pending = following
                }
            case "/":
                let following = next()
                if following == "*" {
                    var previous: Unicode.Scalar? = nil
                    while let c = next() {
                        if previous == "*" && c == "/" { break }
                        previous = c
                    }
                    output += " "
                } else {
                    output.unicodeScalars.append(scalar)
                    pending = following
                }
            default:
                output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// The statement's named parameters, without their `:`, `@` or `$` prefix.
    static func parameterNames(of statement: Statement) -> [String] {
        let handle = statement.sqliteStatement
        let count = sqlite3_bind_parameter_count(handle)
        guard count > 0 else { return [] }
        var names: [String] = []
        for index in 1...count {
            guard let cName = sqlite3_bind_parameter_name(handle, index) else { continue }
            let name = String(String(cString: cName).dropFirst())
            if !names.contains(name) { names.append(name) }
        }
        return names
    }

    static func message(of error: any Error) -> String {
        if let error = error as? DatabaseError {
            return error.message ?? "\(error)"
        }
        return "\(error)"
    }
}

/// The current row of a statement, read in place.
private struct StatementRow: QueryRowValues {
    let statement: SQLiteStatement

    func withValue(at index: Int, _ body: (QueryValue) -> Void) {
        let column = Int32(index)
        switch sqlite3_column_type(statement, column) {
        case SQLITE_NULL:
            body(.null)
        case SQLITE_INTEGER:
            body(.integer(sqlite3_column_int64(statement, column)))
        case SQLITE_FLOAT:
            body(.real(sqlite3_column_double(statement, column)))
        case SQLITE_BLOB:
            let base = sqlite3_column_blob(statement, column)
            body(.blob(UnsafeRawBufferPointer(start: base, count: Int(sqlite3_column_bytes(statement, column)))))
        default:
            let base = sqlite3_column_text(statement, column)
            body(.text(UnsafeBufferPointer(start: base, count: Int(sqlite3_column_bytes(statement, column)))))
        }
    }
}

/// The rows of a query, with its column names.
public struct QueryResult: Sendable {
    /// Column names, left to right.
    public var columns: [String]
    /// Rows of values, in column order.
    public var rows: [[DatabaseValue]]

    /// Creates a result.
    public init(columns: [String], rows: [[DatabaseValue]]) {
        self.columns = columns
        self.rows = rows
    }
}
