import Foundation
import GRDB
import GRDBSQLite

/// Runs one analyst's SQL statement over the graph, read-only by construction.
///
/// Three locks, any one of which would do: the connection is opened read-only
/// with `PRAGMA query_only`; a statement that SQLite says writes is refused
/// before it runs; and statements that change the connection or other files
/// (`ATTACH`, `DETACH`, `VACUUM`, most `PRAGMA`s) are refused by name.
public struct ReadOnlyQuery: Sendable {
    /// PRAGMAs that only read, allowed without an argument or with a table name.
    static let readablePragmas: Set<String> = [
        "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo",
        "foreign_key_list", "database_list", "compile_options", "user_version", "schema_version",
        "integrity_check", "quick_check", "page_count", "page_size", "freelist_count", "function_list",
    ]

    /// The database file.
    public var path: String

    /// Creates a query runner over the database at `path`.
    public init(path: String) {
        self.path = path
    }

    /// Runs `sql` with named `parameters` (`:name` in the SQL; the dictionary
    /// key without the colon) and returns every row.
    public func run(_ sql: String, parameters: [String: String] = [:]) throws(QueryError) -> QueryResult {
        guard FileManager.default.fileExists(atPath: path) else {
            throw QueryError("There is no graph database at \(path). Run 'idgraph collect' first, or pass --db.")
        }
        let queue: DatabaseQueue
        do {
            var configuration = GraphStore.configuration(readonly: true)
            configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA query_only = 1") }
            queue = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw QueryError("Cannot open the graph database at \(path): \(Self.message(of: error))")
        }
        do {
            return try queue.read { db in try Self.execute(sql, parameters: parameters, in: db) }
        } catch let error as QueryError {
            throw error
        } catch {
            throw QueryError("The query failed: \(Self.message(of: error))")
        }
    }

    static func execute(_ sql: String, parameters: [String: String], in db: Database) throws -> QueryResult {
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
        let columns = statement.columnNames
        var rows: [[DatabaseValue]] = []
        let cursor = try Row.fetchCursor(statement)
        while let row = try cursor.next() {
            rows.append(row.databaseValues.map { $0 })
        }
        return QueryResult(columns: columns, rows: rows)
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
