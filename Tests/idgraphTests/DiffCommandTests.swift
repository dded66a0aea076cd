import Foundation
import Testing

/// `idgraph diff` through the real binary, on the demo company.
@Suite struct DiffCommandTests {
    @Test func sameSnapshotAndTheDemoCampaignShowNoChanges() throws {
        let folder = try CommandLineTool.temporaryFolder()
        let demo = try CommandLineTool.run(["demo", "--out", folder.path, "--size", "60", "--faults", "", "--quiet"])
        #expect(demo.status == 0, "\(demo.stderr)")

        let same = try CommandLineTool.run(["diff", "--config", "idgraph.yaml", "--from", "1", "--to", "1", "--out", "d"], in: folder)
        #expect(same.status == 0, "\(same.stderr)")
        #expect(same.stdout.hasPrefix("No changes between snapshot 1 and snapshot 1.\n"), "\(same.stdout)")
        let csv = try String(contentsOf: folder.appendingPathComponent("d/diff.csv"), encoding: .utf8)
        #expect(csv == "change,source,account_id,email,person_email,container,before,after,decision,reason,decided_by\r\n")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("d/diff.html").path))

        // The demo's campaign froze snapshot 1: nothing changed since, compared by membership names.
        let campaign = try CommandLineTool.run(
            ["diff", "--config", "idgraph.yaml", "--from", "campaign:demo", "--out", "c", "--format", "json"], in: folder)
        #expect(campaign.status == 0, "\(campaign.stderr)")
        #expect(campaign.stdout.hasPrefix("No changes between campaign demo and snapshot 1.\n"), "\(campaign.stdout)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("c/diff.json").path))
    }

    @Test func unknownSnapshotOrCampaignExitsTwoNamingWhatExists() throws {
        let folder = try CommandLineTool.temporaryFolder()
        let demo = try CommandLineTool.run(["demo", "--out", folder.path, "--size", "60", "--faults", "", "--quiet"])
        #expect(demo.status == 0, "\(demo.stderr)")
        let snapshot = try CommandLineTool.run(["diff", "--config", "idgraph.yaml", "--from", "7", "--out", "d"], in: folder)
        #expect(snapshot.status == 2 && snapshot.stderr.contains("There is no snapshot 7 (--from). Snapshots: 1 ("), "\(snapshot.stderr)")
        let campaign = try CommandLineTool.run(["diff", "--config", "idgraph.yaml", "--from", "campaign:nope", "--out", "d"], in: folder)
        #expect(campaign.status == 2 && campaign.stderr.contains("There is no campaign named 'nope'. Campaigns: demo."), "\(campaign.stderr)")
        let bad = try CommandLineTool.run(["diff", "--config", "idgraph.yaml", "--from", "last-quarter"], in: folder)
        #expect(bad.status == 2 && bad.stderr.contains("--from must be a snapshot id"), "\(bad.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("d").path))
    }
}
