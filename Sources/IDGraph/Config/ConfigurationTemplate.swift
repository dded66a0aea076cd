import Foundation

/// The commented configuration `idgraph init` writes: every registered source kind with each of its
/// keys under a one-line comment, the vendors' own hosts, and credentials as `${NAME}` references to
/// the environment. It is generated from the ``SourceDescriptor``s, so it names every kind and key
/// the loader accepts, and nothing else.
public enum ConfigurationTemplate {
    /// The whole file, for a configuration at `file` (named in the next-steps comment).
    public static func text(file: String = "idgraph.yaml") -> String {
        let defaults = Configuration(file: URL(fileURLWithPath: file), sources: [])
        var lines = [
            "# idgraph configuration, written by `idgraph init`.",
            "# README.md, \"Configuration\", describes the file; docs/sources.md each source.",
            "#",
            "# 1. Delete the sources you do not use and replace the example values: ProofHub's",
            "#    and ProcessMaker's base_url, Procore's company_id, the roster's path.",
            "#    A key that is commented out is optional.",
            "# 2. Credentials are never written here: each ${NAME} is read from the",
            "#    environment. Set the ones your sources use:",
        ]
        lines += variables.map { "#      export \($0)=…" }
        lines += [
            "# 3. idgraph check --config \(file)",
            "# 4. idgraph collect --config \(file)",
            "#    idgraph review --config \(file)",
            "",
            "# The graph database, relative to this file; --db overrides it.",
            "database: idgraph.sqlite",
            "# Days without activity before an active account is flagged inactive.",
            "# inactive_days: \(defaults.inactiveDays)",
            "# Days before an invitation nobody accepted is flagged stale-invite.",
            "# stale_invite_days: \(defaults.staleInviteDays)",
            "# Emails at a key domain join the roster as the value domain.",
            "# domain_aliases:",
            "#   acme.io: acme.com",
            "# A folder of your own rules (.sql files), run after the built-in ones.",
            "# rules_dir: rules",
            "# Who reviews, in a campaign, accounts that no manager can: active roster people, tried in order.",
            "# fallback_reviewer: [ciso@example.com, it-lead@example.com]",
            "# Days from a revoke or modify decision to its remediation's due date.",
            "# remediation_sla_days: \(defaults.remediationSLADays)",
            "",
            "# Every source may also set these keys (optional):",
        ]
        lines += SourceKey.common.flatMap { key in ["#   \(sentence(key.summary)):", "#     \(key.name): \(key.example)"] }
        lines += ["", "sources:"]
        // Each kind, with its keys as its descriptor lists them.
        for descriptor in SourceRegistry.all {
            lines += [
                "",
                "  # \(descriptor.displayName)",
                padded("  - name: \(descriptor.kind.rawValue)") + "# a unique name, shown in every report",
                "    kind: \(descriptor.kind.rawValue)",
            ]
            for key in descriptor.keys {
                if key.required {
                    lines += ["    # Required: \(key.summary).", "    \(key.name): \(key.example)"]
                } else {
                    let note = key.defaultValue == nil ? "Optional" : "Optional, the default shown"
                    lines += ["    # \(note): \(key.summary).", "    # \(key.name): \(key.example)"]
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `line` padded with spaces to where a comment beside it starts.
    private static func padded(_ line: String) -> String {
        line.padding(toLength: max(line.count + 1, 32), withPad: " ", startingAt: 0)
    }

    /// `text` with a capital first letter.
    private static func sentence(_ text: String) -> String { text.prefix(1).uppercased() + text.dropFirst() }

    /// The environment variables the template's credentials are read from, in the order they appear.
    public static var variables: [String] {
        SourceRegistry.all.flatMap(\.keys).filter(\.isCredential).flatMap { NodeReader.variables(in: $0.example) }
    }
}
