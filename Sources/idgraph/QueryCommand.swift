import ArgumentParser
import Foundation
import IDGraph

/// `idgraph query`: read-only SQL over the graph.
struct QueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Run one read-only SQL statement over the graph.",
        discussion: """
            The views people, accounts, containers, memberships, effective_memberships, snapshots, \
            source_runs and findings are the stable contract (README, "The graph"). Statements that \
            write are refused with exit status 2, and the database is unchanged.

            Examples:
              idgraph query "SELECT source, status, count(*) FROM accounts GROUP BY 1, 2"
              idgraph query --format csv --file queries/admins-across-sources.sql
              idgraph query --file queries/person-access.sql --param email=ana@acme.com
            """
    )

    @Option(name: .long, help: "The graph database.")
    var db: String = "idgraph.sqlite"

    @Option(name: .long, help: "Output format: table, csv or json.")
    var format: QueryFormat = .table

    @Option(name: .long, help: "Read the SQL from this file instead of the argument.")
    var file: String?

    @Option(name: .customLong("param"), help: ArgumentHelp("Bind a named parameter: --param name=value binds :name (repeatable).", valueName: "name=value"))
    var params: [String] = []

    @Argument(help: "The SQL statement (omit when using --file).")
    var sql: String?

    func validate() throws {
        if file == nil && sql == nil {
            throw ValidationError("Give an SQL statement or --file F.sql.")
        }
        if file != nil && sql != nil {
            throw ValidationError("Give either an SQL statement or --file, not both.")
        }
        for param in params where !param.contains("=") || param.hasPrefix("=") {
            throw ValidationError("--param '\(param)' must be name=value.")
        }
    }

    func run() async throws {
        var text = sql ?? ""
        if let file {
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw QueryError("Cannot read the SQL file \(file). Check the path.")
            }
            // SQLite would stop reading at a NUL byte and run only what came before it.
            guard !text.utf8.contains(0) else {
                throw QueryError("The SQL file \(file) contains a NUL byte, so only part of it would run. Save it as plain UTF-8 text.")
            }
        }
        var parameters: [String: String] = [:]
        for param in params {
            let parts = param.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            parameters[String(parts[0]).trimmingCharacters(in: CharacterSet(charactersIn: ":"))] = String(parts[1])
        }
        try ReadOnlyQuery(path: db).write(
            text, parameters: parameters, format: format, to: FileHandle.standardOutput)
    }
}
