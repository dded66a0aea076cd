import Foundation
import Testing

@testable import IDGraph

/// The configuration `idgraph init` writes is generated from the descriptors, and loads.
@Suite struct ConfigurationTemplateTests {
    /// Every variable the template refers to, set to a stand-in value.
    static let environment = Dictionary(
        uniqueKeysWithValues: ConfigurationTemplate.variables.map { ($0, "stand-in-\($0.lowercased())") })

    @Test func theTemplateLoadsWithEveryKindAndItsCredentialsFromTheEnvironment() throws {
        let configuration = try ConfigurationLoader(environment: Self.environment)
            .parse(ConfigurationTemplate.text(), file: "/etc/idgraph/idgraph.yaml")
        #expect(configuration.sources.map(\.kind) == SourceRegistry.all.map(\.kind))
        #expect(configuration.database?.path == "/etc/idgraph/idgraph.sqlite")
        for source in configuration.sources {
            let descriptor = try #require(source.descriptor)
            // The vendors' own hosts: the default where there is one.
            if let host = descriptor.defaultBaseURL { #expect(source.baseURL == host) }
            for key in descriptor.credentialKeys {
                #expect(source.credentialVariables[key]?.count == 1, "\(source.name).\(key)")
            }
        }
        #expect(
            ConfigurationTemplate.variables == [
                "PROCESS_STREET_TOKEN", "PROOFHUB_TOKEN", "STREAK_API_KEY", "PROCESSMAKER_TOKEN", "PROCORE_CLIENT_ID",
                "PROCORE_CLIENT_SECRET",
            ])
    }

    @Test func everyKeyTheLoaderTakesIsWrittenUnderItsComment() {
        let lines = ConfigurationTemplate.text().components(separatedBy: "\n")
        func commentAbove(_ line: String) -> String? {
            lines.firstIndex(of: line).flatMap { $0 > 0 ? lines[$0 - 1] : nil }
        }
        for descriptor in SourceRegistry.all {
            #expect(lines.contains { $0.hasPrefix("  - name: \(descriptor.kind.rawValue) ") })
            for key in descriptor.keys {
                let line = "    " + (key.required ? "" : "# ") + "\(key.name): \(key.example)"
                let comment = commentAbove(line)
                #expect(comment?.hasPrefix("    # ") == true, "\(descriptor.kind).\(key.name)")
                #expect(comment?.contains(key.summary) == true, "\(descriptor.kind).\(key.name)")
            }
        }
        for key in SourceKey.common {
            #expect(lines.contains("#     \(key.name): \(key.example)"), "\(key.name)")
        }
        for key in NodeReader.topLevelKeys where key != "sources" {
            #expect(lines.contains { $0.hasPrefix("\(key):") || $0.hasPrefix("# \(key):") }, "\(key)")
        }
    }

    @Test func theCommonKeysExamplesAreTheirDefaults() throws {
        let examples = SourceKey.common.filter { $0.name != "approved_admins" }
            .map { "    \($0.name): \($0.example)" }.joined(separator: "\n")
        let yaml = "sources:\n  - name: hr\n    kind: roster\n    path: hr.csv\n" + examples + "\n"
        let loaded = try #require(try ConfigurationLoader(environment: [:]).parse(yaml, file: "/tmp/t.yaml").sources.first)
        let defaults = SourceConfiguration(name: "hr", kind: .roster)
        #expect(loaded.maxWaitSeconds == defaults.maxWaitSeconds)
        #expect(loaded.requestTimeoutSeconds == defaults.requestTimeoutSeconds)
        #expect(loaded.maxConcurrency == defaults.maxConcurrency)
        #expect(loaded.maxRecords == defaults.maxRecords)
    }
}
