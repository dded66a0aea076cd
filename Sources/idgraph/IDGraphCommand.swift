import ArgumentParser
import Foundation
import IDGraph

/// The `idgraph` command: who has access to what, and which of it should go.
@main
struct IDGraphCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "idgraph",
        abstract: "Build an identity graph of who has access to what across SaaS tools, and review it.",
        discussion: """
            idgraph collects users, groups and project memberships from SaaS admin APIs and an HR \
            roster into an SQLite graph, flags inactive, orphaned and over-privileged accounts, and \
            writes the reports an access review needs.

            Examples:
              idgraph demo                           # the whole job on a generated company
              idgraph init                           # writes a commented idgraph.yaml
              idgraph check --config idgraph.yaml    # do the credentials work?
              idgraph collect --config idgraph.yaml
              idgraph review --config idgraph.yaml --out q3-review
              idgraph query "SELECT source, count(*) FROM accounts GROUP BY source"

            Exit status: 0 success; 1 the job ran but something failed; 2 bad usage or configuration.
            """,
        version: IDGraphVersion.current,
        subcommands: CommandRegistry.subcommands
    )

    /// Runs the command line, mapping errors to the README's exit statuses:
    /// usage errors exit 2 (argument-parser's default would be 64).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as any IDGraphError {
            FileHandle.standardError.write(Data("error: \(TerminalText.escaped(error.description))\n".utf8))
            Foundation.exit(error.exitStatus.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                exit(withError: error)
            } else if code == .validationFailure {
                // One line of what is wrong, one of where to look.
                let lines = fullMessage(for: error).split(separator: "\n").map(String.init)
                var message = lines.first ?? "invalid usage"
                if let hint = lines.last(where: { $0.contains("--help") }), lines.count > 1 {
                    message += "\n" + hint.trimmingCharacters(in: .whitespaces)
                }
                FileHandle.standardError.write(Data("\(message)\n".utf8))
                Foundation.exit(ExitStatus.usage.rawValue)
            } else {
                exit(withError: error)
            }
        }
    }
}

/// The version `--version` prints.
enum IDGraphVersion {
    static let current = "0.1.0"
}

/// `--format table|csv|json` of the commands that print rows; argument-parser lists the choices.
extension QueryFormat: ExpressibleByArgument {}
