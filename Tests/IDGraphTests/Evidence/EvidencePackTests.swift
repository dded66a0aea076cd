import Foundation
import GRDB
@testable import IDGraphSimulator
import Testing

@testable import IDGraph

/// Evidence packs made from a simulated company collected over real sockets, verified, and tampered with.
@Suite(.serialized) struct EvidencePackTests {
    /// A collected, reviewed company with a campaign whose every item is decided.
    struct Reviewed {
        var company: Company
        var configuration: IDGraph.Configuration
        var store: GraphStore
        var folder: URL
    }

    static func reviewed(size: Int = 60, down: String? = nil, decideAll: Bool = true) async throws -> Reviewed {
        let asOf = Date(timeIntervalSince1970: 1_750_000_000)
        let company = Company.generate(size: size, seed: 3, asOf: asOf)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("idgraph-evidence-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = try GraphStore.open(path: folder.appendingPathComponent("graph.sqlite").path)
        var (configuration, report) = try await RemediationTests.collect(company, into: store, folder: folder)
        #expect(report.exitStatus == .success)
        if let down {
            (configuration, report) = try await RemediationTests.collect(company, into: store, folder: folder, down: down)
            #expect(report.outcomes.first { $0.source == down }?.succeeded == false)
        }
        _ = try await ReviewReport.run(
            store: store, configuration: configuration, asOf: asOf, outputDirectory: folder.appendingPathComponent("review"))
        let campaign = try await CampaignStart.run(
            store: store, configuration: configuration, name: "Q3", due: nil, sources: [],
            allowStale: down.map { "\($0) was down" }, now: asOf)
        if decideAll {
            let decisions = campaign.items.map {
                GraphStore.NewDecision(item: $0.item, decision: .keep, reason: "still needed", reviewer: $0.reviewer ?? "")
            }
            _ = try await store.addDecisions(decisions, campaign: campaign.campaign.id, event: "test", at: asOf)
        }
        return Reviewed(company: company, configuration: configuration, store: store, folder: folder)
    }

    static func pack(
        _ reviewed: Reviewed, _ name: String = "pack", campaign: String? = "Q3", accept: String? = nil
    ) async throws -> (URL, EvidencePack.Result) {
        let folder = reviewed.folder.appendingPathComponent(name)
        var options = EvidencePack.Options(folder: folder, toolVersion: "test", commandLine: "idgraph evidence --out \(name)")
        options.selection = campaign.map { .campaign($0) } ?? .latestReview
        options.acceptIncomplete = accept
        options.leavers = ("2025-01-01", "2025-12-31", 7)
        let result = try await EvidencePack.make(store: reviewed.store, configuration: reviewed.configuration, options: options)
        return (folder, result)
    }

    /// A copy of the pack in `folder`, for one tampering.
    static func copy(_ folder: URL, _ name: String) throws -> URL {
        let copy = folder.deletingLastPathComponent().appendingPathComponent(name)
        try FileManager.default.copyItem(at: folder, to: copy)
        return copy
    }

    @Test func aPackOfACollectedCompanyVerifiesAndTamperingIsNamed() async throws {
        let reviewed = try await Self.reviewed()
        defer { try? FileManager.default.removeItem(at: reviewed.folder) }
        let (folder, result) = try await Self.pack(reviewed)
        #expect(result.verification.problems == [])
        #expect(result.manifest.incomplete == [])
        let names = Set(result.manifest.files.map(\.path))
        for expected in [
            "population.csv", "accounts.csv", "findings.csv", "decisions.csv", "access-review.html", "parameters.json",
            "configuration.yaml", "collect-runs.csv", "requests.csv", "review-run.csv", "leavers.csv", "graph.sqlite",
            "rules/orphaned.sql", "rules/inactive.sql",
        ] {
            #expect(names.contains(expected), "\(expected) is in the pack")
        }
        let again = try await EvidenceVerifier.verify(folder)
        #expect(again.problems == [])

        // One flipped byte in any file is named.
        for file in result.manifest.files {
            let copy = try Self.copy(folder, "flip-\(file.path.replacingOccurrences(of: "/", with: "-"))")
            let url = copy.appendingPathComponent(file.path)
            var data = try Data(contentsOf: url)
            data[data.count / 2] ^= 0x01
            try data.write(to: url)
            let verification = try await EvidenceVerifier.verify(copy)
            #expect(!verification.ok)
            #expect(verification.problems.contains { $0.hasPrefix("\(file.path): changed") }, "\(file.path): \(verification.problems)")
            try FileManager.default.removeItem(at: copy)
        }

        // A deleted findings row, with the manifest's hash forged to match, is still found by re-running the rules.
        let deleted = try Self.copy(folder, "deleted-row")
        let findings = deleted.appendingPathComponent("findings.csv")
        var lines = try String(contentsOf: findings, encoding: .utf8).components(separatedBy: "\r\n")
        let removedLine = lines.remove(at: 3)
        try lines.joined(separator: "\r\n").write(to: findings, atomically: true, encoding: .utf8)
        try Self.forgeManifest(deleted, file: "findings.csv")
        let afterDelete = try await EvidenceVerifier.verify(deleted)
        #expect(!afterDelete.ok)
        #expect(!afterDelete.problems.contains { $0.hasPrefix("findings.csv: changed") }, "the forged hash matches")
        #expect(afterDelete.problems.contains { $0.hasPrefix("findings.csv: a row is missing") && $0.contains(String(removedLine.split(separator: ",")[0])) }, "\(afterDelete.problems)")

        // An edited rule file: the hash, and the re-run findings, differ.
        let edited = try Self.copy(folder, "edited-rule")
        let rule = edited.appendingPathComponent("rules/orphaned.sql")
        let sql = try String(contentsOf: rule, encoding: .utf8)
        try (sql.replacingOccurrences(of: "-- id: orphaned", with: "-- id: orphaned") + "\n") .write(to: rule, atomically: true, encoding: .utf8)
        let afterEdit = try await EvidenceVerifier.verify(edited)
        #expect(afterEdit.problems.contains { $0.hasPrefix("rules/orphaned.sql: changed") }, "\(afterEdit.problems)")
        #expect(afterEdit.problems.contains { $0.hasPrefix("rules/orphaned.sql: differs from the SQL") }, "\(afterEdit.problems)")

        // A changed parameter, with the manifest forged: the re-run's findings differ from findings.csv.
        let changed = try Self.copy(folder, "changed-parameter")
        let parameters = changed.appendingPathComponent("parameters.json")
        let text = try String(contentsOf: parameters, encoding: .utf8)
        let days = reviewed.configuration.inactiveDays
        #expect(text.contains("\"inactive_days\" : \(days)"))
        try text.replacingOccurrences(of: "\"inactive_days\" : \(days)", with: "\"inactive_days\" : 1").write(
            to: parameters, atomically: true, encoding: .utf8)
        try Self.forgeManifest(changed, file: "parameters.json")
        let afterChange = try await EvidenceVerifier.verify(changed)
        #expect(afterChange.problems.contains { $0.hasPrefix("parameters.json: differs") }, "\(afterChange.problems)")
        #expect(afterChange.problems.contains { $0.hasPrefix("findings.csv") }, "\(afterChange.problems)")

        // A file added after the pack was made.
        let added = try Self.copy(folder, "added-file")
        try Data("x".utf8).write(to: added.appendingPathComponent("extra.csv"))
        #expect(try await EvidenceVerifier.verify(added).problems.contains { $0.hasPrefix("extra.csv: not in the manifest") })
    }

    /// Rewrites the manifest's record of `file` to its present hash and size, as a forger would.
    static func forgeManifest(_ folder: URL, file: String) throws {
        var manifest = try EvidenceManifest.read(from: folder)
        let (sha256, bytes) = try Digest.sha256(file: folder.appendingPathComponent(file))
        let index = try #require(manifest.files.firstIndex { $0.path == file })
        manifest.files[index].sha256 = sha256
        manifest.files[index].bytes = bytes
        try manifest.encoded().write(to: folder.appendingPathComponent(EvidenceManifest.fileName))
    }

    @Test func noCredentialAppearsAnywhereInThePack() async throws {
        let reviewed = try await Self.reviewed()
        defer { try? FileManager.default.removeItem(at: reviewed.folder) }
        let (folder, _) = try await Self.pack(reviewed)
        let secrets = reviewed.company.credentials.values.filter { $0.count >= 4 }
        #expect(!secrets.isEmpty)
        for path in try PackFiles.paths(in: folder) {
            let data = try Data(contentsOf: folder.appendingPathComponent(path))
            for secret in secrets {
                #expect(data.range(of: Data(secret.utf8)) == nil, "a credential is in \(path)")
            }
        }
    }

    @Test func aPackAfterAFailedSourceIsIncompleteUnlessAccepted() async throws {
        let reviewed = try await Self.reviewed(down: "streak")
        defer { try? FileManager.default.removeItem(at: reviewed.folder) }
        let (folder, result) = try await Self.pack(reviewed)
        #expect(!result.manifest.complete)
        #expect(result.manifest.incomplete.contains { $0.hasPrefix("source 'streak': stale") }, "\(result.manifest.incomplete)")
        #expect(!result.verification.ok)
        #expect(result.verification.problems.contains { $0.hasPrefix("The pack is incomplete") })
        let population = try String(contentsOf: folder.appendingPathComponent("population.csv"), encoding: .utf8)
        #expect(population.contains("streak,streak,") && population.contains(",no,\"stale: its last collection before the review failed"))

        let (_, accepted) = try await Self.pack(reviewed, "accepted", accept: "Streak was down; its earlier data was reviewed")
        #expect(accepted.manifest.acceptedIncomplete == "Streak was down; its earlier data was reviewed")
        #expect(accepted.verification.problems == [])
    }

    @Test func undecidedCampaignItemsAreNamed() async throws {
        let reviewed = try await Self.reviewed(decideAll: false)
        defer { try? FileManager.default.removeItem(at: reviewed.folder) }
        let (_, result) = try await Self.pack(reviewed)
        #expect(result.verification.problems.contains { $0.hasPrefix("decisions.csv: ") && $0.contains("have no decision") })
    }

    @Test func anOlderReviewIsPackedAsItStoodDespiteLaterCollects() async throws {
        let reviewed = try await Self.reviewed(decideAll: true)
        defer { try? FileManager.default.removeItem(at: reviewed.folder) }
        // A later collect in which the company lost a ProofHub account; the campaign's review stays as it was.
        var company = reviewed.company
        let gone = try #require(company.systems[.proofHub]?.accounts.first)
        company.systems[.proofHub]?.accounts.removeAll { $0.id == gone.id }
        company.systems[.proofHub]?.memberships.removeAll { $0.accountID == gone.id }
        _ = try await RemediationTests.collect(company, into: reviewed.store, folder: reviewed.folder)
        let (folder, result) = try await Self.pack(reviewed)
        #expect(result.verification.problems == [])
        let accounts = try String(contentsOf: folder.appendingPathComponent("accounts.csv"), encoding: .utf8)
        #expect(accounts.contains(gone.id), "accounts.csv is the review's, with the account removed later")
    }

    @Test func aFolderThatIsNotEmptyIsRefusedAndNothingIsWritten() async throws {
        let reviewed = try await Self.reviewed()
        defer { try? FileManager.default.removeItem(at: reviewed.folder) }
        let folder = reviewed.folder.appendingPathComponent("busy")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: folder.appendingPathComponent("notes.txt"))
        await #expect(throws: EvidenceError.self) { try await Self.pack(reviewed, "busy") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["notes.txt"])
        let notAPack = try await #require(throws: EvidenceError.self) { try await EvidenceVerifier.verify(folder) }
        #expect(notAPack.exitStatus == .usage)
    }

    @Test func credentialsWrittenInTheConfigurationAreRedacted() {
        let text = """
            sources:
              - name: pm
                kind: processmaker
                token: "abc123-very-secret"
              - name: pc
                kind: procore
                client_id: ${PROCORE_CLIENT_ID}
                client_secret: 'shh-secret-value'   # inline
                "api_key": plainsecret
            """
        let redacted = RedactedConfiguration.redact(text)
        for secret in ["abc123-very-secret", "shh-secret-value", "plainsecret"] {
            #expect(!redacted.contains(secret))
        }
        #expect(redacted.contains("client_id: ${PROCORE_CLIENT_ID}"))
        #expect(redacted.contains("token: \"[redacted]\""))
        #expect(redacted.contains("kind: procore"))
    }
}
