import Foundation
import IDGraph
import IDGraphSimulator
import Testing

/// `idgraph init` as a new user runs it: write the configuration, point it at the systems, check it;
/// against the simulated vendors on loopback.
@Suite struct InitCommandTests {
    @Test func initWritesAConfigurationThatChecksOnceItPointsAtTheSystems() async throws {
        try await CheckCommandTests.withSimulator { cluster, folder in
            let written = try await CommandLineTool.running(["init", "--out", "idgraph.yaml", "--force"], in: folder)
            #expect(written.status == 0, "\(written.stderr)")
            #expect(written.stdout.contains("check --config idgraph.yaml"))
            var text = try String(contentsOf: folder.appendingPathComponent("idgraph.yaml"), encoding: .utf8)
            #expect(text.contains("# base_url: https://api.procore.com/rest/v1.0"))
            #expect(text.contains("client_secret: ${PROCORE_CLIENT_SECRET}"))

            // What a user edits: each system's base URL, Procore's token URL and company, the roster's path.
            for descriptor in SourceRegistry.all {
                guard let system = SimulatedSystem(rawValue: descriptor.kind.rawValue) else { continue }
                for key in descriptor.keys where key.name == "base_url" || key.name == "token_url" {
                    let url = key.name == "base_url" ? cluster.baseURL(system) : cluster.procoreTokenURL
                    let line = "\(key.name): \(key.example)"
                    #expect(text.contains(line), "\(line)")
                    text = text.replacingOccurrences(of: "# " + line, with: line)
                        .replacingOccurrences(of: line, with: "\(key.name): \(url)")
                }
            }
            text = text.replacingOccurrences(of: "company_id: 12345", with: "company_id: \(cluster.company.procoreCompanyID)")
                .replacingOccurrences(of: "path: hr.csv", with: "path: roster.csv")
            try text.write(to: folder.appendingPathComponent("edited.yaml"), atomically: true, encoding: .utf8)

            let configuration = try ConfigurationLoader(environment: cluster.company.credentials)
                .load(path: folder.appendingPathComponent("edited.yaml").path)
            #expect(Set(configuration.sources.map(\.kind)) == Set(SourceRegistry.all.map(\.kind)))

            let check = try await CommandLineTool.running(["check", "--config", "edited.yaml"], in: folder, environment: cluster.company.credentials)
            #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
            #expect(check.stdout.contains("0 failed"), "\(check.stdout)")
            // Procore's admin templates are left for the user to choose: admins are not checked until then.
            #expect(check.stdout.contains("procore (procore): warning"), "\(check.stdout)")
        }
    }

    @Test func initRefusesToOverwriteUnlessForcedAndWritesToStandardOutput() throws {
        let folder = try CommandLineTool.temporaryFolder()
        let file = folder.appendingPathComponent("idgraph.yaml")
        try "sources: []\n".write(to: file, atomically: true, encoding: .utf8)
        let refused = try CommandLineTool.run(["init"], in: folder)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("already exists"), "\(refused.stderr)")
        #expect(refused.stderr.contains("--force"))
        #expect(try String(contentsOf: file, encoding: .utf8) == "sources: []\n")

        let forced = try CommandLineTool.run(["init", "--force"], in: folder)
        #expect(forced.status == 0, "\(forced.stderr)")
        let stdout = try CommandLineTool.run(["init", "--out", "-"], in: folder)
        #expect(stdout.status == 0)
        #expect(try String(contentsOf: file, encoding: .utf8) == stdout.stdout)
        #expect(stdout.stdout.hasPrefix("# idgraph configuration, written by `idgraph init`."))
    }
}
