import ArgumentParser
import Foundation
import IDGraph

/// `idgraph init`: a commented configuration with every source kind, to edit before the first collect.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a commented configuration with every source kind, to edit before the first collect.",
        discussion: """
            The file lists every source kind with each of its keys and what it is for, the vendors' own hosts, and each credential as a ${NAME} reference to an environment variable: no secret is ever written. Delete the sources you do not use, replace the example values, export the variables, then run check. An existing file is left alone unless --force is given.

            Examples:
              idgraph init
              idgraph init --out /etc/idgraph/acme.yaml
              idgraph init --out - | less
            """)

    @Option(name: .long, help: ArgumentHelp("Where to write the configuration; - writes it to standard output.", valueName: "file"))
    var out = "idgraph.yaml"

    @Flag(name: .long, help: "Replace the file if it exists.")
    var force = false

    func run() throws {
        let text = ConfigurationTemplate.text(file: out == "-" ? "idgraph.yaml" : out)
        if out == "-" {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        let url = URL(fileURLWithPath: out)
        if FileManager.default.fileExists(atPath: url.path), !force {
            throw ConfigurationError(
                file: out,
                message: "The file already exists, and init does not overwrite it. Choose another --out, or add --force to replace it.")
        }
        do {
            try Data(text.utf8).write(to: url, options: .atomic)
        } catch {
            throw ConfigurationError(file: out, message: "The configuration cannot be written there (\(error.localizedDescription)). Check that the folder exists and is writable.")
        }
        let command = Invocation.command
        print("""
            Wrote \(out) with every source kind. Next:
              1. Edit it: delete the sources you do not use, and replace the example values.
              2. Export the credentials it reads: \(ConfigurationTemplate.variables.joined(separator: ", ")).
              3. \(command) check --config \(out)
              4. \(command) collect --config \(out), then \(command) review --config \(out)
            """)
    }
}
