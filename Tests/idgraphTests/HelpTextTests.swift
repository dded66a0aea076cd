import Foundation
import Testing

/// `--help` reads as sentences: argument-parser wraps each paragraph at whole words, so a paragraph
/// must reach it as one line, and an example line must fit the width, or it is broken where no
/// reader expects it.
@Suite struct HelpTextTests {
    /// The width argument-parser wraps to when its output is not a terminal: lines stay shorter than it.
    static let width = 80

    /// The subcommands `idgraph <command> --help` lists (argument-parser's own `help` aside).
    static func subcommands(of command: [String] = []) throws -> [String] {
        let help = try CommandLineTool.run(command + ["--help"]).stdout
        let lines = help.components(separatedBy: "\n")
        guard let start = lines.firstIndex(of: "SUBCOMMANDS:") else { return [] }
        return lines[(start + 1)...].prefix { !$0.isEmpty }
            .filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") }
            .compactMap { $0.split(separator: " ").first.map(String.init) }
            .filter { $0 != "help" }
    }

    /// Where `text` breaks a line that the wrapping would not have broken: a paragraph line followed by
    /// one whose first word would have fitted on it (a line break written into the paragraph), and an
    /// indented line (an example, a list item) followed by an unindented one (it was too long and wrapped).
    static func unexpectedBreaks(in text: String) -> [String] {
        let lines = text.components(separatedBy: "\n")
        var breaks: [String] = []
        for (line, next) in zip(lines, lines.dropFirst()) where !line.isEmpty && !next.isEmpty {
            let indented = line.hasPrefix(" "), nextIndented = next.hasPrefix(" ")
            let firstWord = next.split(separator: " ").first.map(String.init) ?? ""
            if !indented, !nextIndented, line.count + 1 + firstWord.count < width {
                breaks.append("\"\(line)\" ends before \"\(firstWord)\"")
            } else if indented, !nextIndented {
                breaks.append("\"\(line)\" wrapped onto \"\(next)\"")
            }
        }
        return breaks
    }

    @Test func theCheckFindsBothKindsOfBreak() {
        let broken = """
            OVERVIEW: Pull every source.

            Sources are collected concurrently. A source that fails keeps its last good
            data,
            marked stale.

            Examples:
              idgraph query --format csv --file queries/admins-across-sources.sql >
            admins.csv
            """
        #expect(
            Self.unexpectedBreaks(in: broken) == [
                "\"data,\" ends before \"marked\"",
                "\"  idgraph query --format csv --file queries/admins-across-sources.sql >\" wrapped onto \"admins.csv\"",
            ])
        let whole = """
            OVERVIEW: Pull every source.

            Sources are collected concurrently. A source that fails keeps its last good
            data, marked stale; the others are stored, and the command exits 1.

            Examples:
              idgraph collect --config idgraph.yaml
              idgraph collect --config idgraph.yaml --source hr

            USAGE: idgraph collect --config <config> [--db <db>] [--source <source> ...] [--quiet] [--verbose]

            OPTIONS:
              --config <config>       The YAML configuration file (see the README,
                                      "Configuration").
              --db <db>               The graph database.
            """
        #expect(Self.unexpectedBreaks(in: whole).isEmpty)
    }

    @Test func everyCommandsHelpWrapsAtWholeWords() throws {
        let commands = try Self.subcommands()
        #expect(commands.contains("collect") && commands.contains("check") && commands.contains("init"), "\(commands)")
        var nested: [[String]] = []
        for command in commands {
            nested += try Self.subcommands(of: [command]).map { [command, $0, "--help"] }
        }
        #expect(nested.contains(["campaign", "start", "--help"]), "\(nested)")
        for arguments in [["--help"]] + commands.map({ [$0, "--help"] }) + nested {
            let help = try CommandLineTool.run(arguments, environment: ["COLUMNS": String(Self.width)])
            #expect(help.status == 0, "\(arguments)")
            #expect(Self.unexpectedBreaks(in: help.stdout).isEmpty, "idgraph \(arguments.joined(separator: " ")):\n\(Self.unexpectedBreaks(in: help.stdout).joined(separator: "\n"))")
        }
        // The benchmarks are subcommands, each with its own options.
        for arguments in [["--help"]] + ["all", "ingest", "review", "simulator", "collect", "memory"].map({ [$0, "--help"] }) {
            let benchmarks = try CommandLineTool.run(arguments, environment: ["COLUMNS": String(Self.width)], tool: CommandLineTool.sibling("idgraph-benchmarks"))
            #expect(benchmarks.status == 0, "\(arguments): \(benchmarks.stderr)")
            #expect(Self.unexpectedBreaks(in: benchmarks.stdout).isEmpty, "idgraph-benchmarks \(arguments.joined(separator: " ")):\n\(Self.unexpectedBreaks(in: benchmarks.stdout).joined(separator: "\n"))")
        }
        let measured = try CommandLineTool.run(["peak-memory", "--", "/usr/bin/true"], tool: CommandLineTool.sibling("idgraph-benchmarks"))
        #expect(measured.status == 0 && Int(measured.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) != nil, "\(measured.stdout)")
    }
}
